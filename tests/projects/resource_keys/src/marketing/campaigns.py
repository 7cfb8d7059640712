import dagster as dg


class AdsResource(dg.ConfigurableResource):
    token: str


@dg.asset
def campaign_stats(ads: AdsResource, crm_export: AdsResource):
    # Definitions.merge: resources may come from any of the merged objects.
    return []
