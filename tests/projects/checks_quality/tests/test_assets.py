import dagster as dg

from shop.assets import orders
from warehouse import tables


def test_orders():
    assert dg.materialize([orders]).success


def test_rows():
    assert tables.rows([1]) == [1]
    assert dg.materialize([tables.raw_rows]).success


# A test double: test modules are not asked for checks.
@dg.asset
def fake_orders():
    return []
