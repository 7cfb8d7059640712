import dagster as dg

# Produced outside this project: declaring it makes it a known key.
crm_contacts = dg.AssetSpec("crm_contacts", description="Contacts synced by the CRM export.")


@dg.asset
def raw_orders():
    return [1]


@dg.asset(key_prefix=["shop", "staging"])
def raw_payments():
    return [2]


@dg.asset(name="raw_refunds")
def load_refunds():
    return [3]


@dg.multi_asset(outs={"customers": dg.AssetOut(), "addresses": dg.AssetOut(key_prefix="geo")})
def crm_extract():
    return [], []


# A module constant used as a prefix, like a literal.
STAGING = ["shop", "staging"]


@dg.asset(key_prefix=STAGING)
def raw_shipments():
    return [4]


@dg.asset(key_prefix="crm", group_name="crm")
def leads():
    return [5]


@dg.asset(key_prefix="erp")
def suppliers():
    return [6]
