from shop.definitions import defs


def test_everything_materializes():
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process()
    assert result.success
