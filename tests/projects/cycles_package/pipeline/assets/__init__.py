from pipeline.assets.customers import *  # noqa: F403
from pipeline.assets.orders import orders, order_lines
