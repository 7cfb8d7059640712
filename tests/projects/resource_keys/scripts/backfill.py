import dagster as dg


class ScratchResource(dg.ConfigurableResource):
    path: str


@dg.asset
def scratch_orders(scratch: ScratchResource):
    # No code location above this file: nothing to compare with.
    return []


if __name__ == "__main__":
    dg.materialize([scratch_orders], resources={"scratch": ScratchResource(path="scratch")})
