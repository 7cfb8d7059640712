"""A stand-in for an old Dagster release, found first on the path of the loading process."""

__version__ = "1.8.13"
