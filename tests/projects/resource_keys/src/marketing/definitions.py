import dagster as dg

from marketing import campaigns

defs = dg.Definitions.merge(
    dg.Definitions(assets=[campaigns.campaign_stats]),
    dg.Definitions(resources={"ads": campaigns.AdsResource(token=dg.EnvVar("ADS_TOKEN"))}),
)
