import dagster as dg

# Assets put into the module's namespace at import time, by name: no statement binds them.
for table in ("clicks", "views"):
    globals()[f"raw_{table}"] = dg.AssetSpec(["plugins", table])
