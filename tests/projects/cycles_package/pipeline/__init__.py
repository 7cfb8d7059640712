from pipeline.definitions import defs

__all__ = ["defs"]
