from shop.definitions import defs

__all__ = ["defs"]
