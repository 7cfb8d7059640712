"""DAG802 on multi-assets: the kind moves to each `AssetOut` / `AssetSpec`."""

from dagster import AssetOut, AssetSpec, MaterializeResult, multi_asset

OUTS = {"c": AssetOut(), "d": AssetOut()}


@multi_asset(outs={"a": AssetOut(kinds={"python"}), "b": AssetOut(key_prefix=["web"], kinds={"python"})})
def a_and_b():
    return 1, 2


@multi_asset(
    specs=[
        AssetSpec("sessions", kinds={"spark"}),
        AssetSpec(
            "pageviews",
            group_name="web",  # the tracking export
            kinds={"spark"},
        ),
    ],
)
def web():
    yield MaterializeResult(asset_key="sessions")
    yield MaterializeResult(asset_key="pageviews")


# Not fixed: the outs are built elsewhere.
@multi_asset(outs=OUTS, compute_kind="python")  # DAG802
def c_and_d():
    return 3, 4


# Not fixed: an output already has its own kinds.
@multi_asset(outs={"e": AssetOut(kinds={"sql"}), "f": AssetOut()}, compute_kind="python")  # DAG802
def e_and_f():
    return 5, 6
