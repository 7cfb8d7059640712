from dagster import asset


# Quiet: the `shop.reporting` package is loaded with `group_name="reporting"`.
@asset
def revenue(orders):
    return sum(orders)
