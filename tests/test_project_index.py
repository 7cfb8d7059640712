"""The project index: keys as Dagster resolves them, names across modules, loaders, opaque
producers, the on-disk cache, and the buffer an editor passes on stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from dagster_lint import cli, project
from dagster_lint.keys import Reference
from dagster_lint.cache import CACHE_DIR
from dagster_lint.project import Summary, build_index

PROJECTS = Path(__file__).parent / "projects"


def write_project(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def keys_of(index, name: str) -> set[tuple[str, ...]]:
    entry = next(e for e in index.entries.values() if e.path.name == name)
    return {p.key for p in entry.summary.produced}


def entry(index, relative: str):
    return index.entries[(index.root / relative).resolve()]


SOURCES = """
    import dagster as dg
    from dagster import AssetKey, AssetOut, AssetSpec, multi_asset

    PREFIX = ["shop", "staging"]
    NAME = "renamed"

    @dg.asset
    def plain(): ...

    @dg.asset(name=NAME)
    def by_name(): ...

    @dg.asset(key=AssetKey(["a", "b"]))
    def by_key(): ...

    @dg.asset(key="a/b")
    def slash(): ...

    @dg.asset(key_prefix=PREFIX)
    def prefixed(): ...

    external = AssetSpec(["crm", "contacts"])

    @multi_asset(outs={"x": AssetOut(), "y": AssetOut(key_prefix="geo")})
    def outs(): ...

    @multi_asset(specs=[AssetSpec("s1"), AssetSpec(["s", "two"], deps=["s1"])])
    def specs(): ...
"""


def test_keys_are_read_as_dagster_builds_them(tmp_path):
    index = build_index(write_project(tmp_path, {"shop/__init__.py": "", "shop/sources.py": SOURCES}))
    assert keys_of(index, "sources.py") == {
        ("plain",), ("renamed",), ("a", "b"), ("a/b",), ("shop", "staging", "prefixed"),
        ("crm", "contacts"), ("x",), ("geo", "y"), ("s1",), ("s", "two"),
    }
    sources = entry(index, "shop/sources.py")
    assert not index.incomplete_reasons()
    # A spec's `deps=` belong to that spec alone, not to every output of the multi-asset.
    spec_dep = next(r for r in sources.summary.references if r.key == ("s1",))
    assert index.owner_keys(sources, spec_dep) == [("s", "two")]


def test_names_resolve_through_relative_star_and_package_imports(tmp_path):
    index = build_index(write_project(tmp_path, {
        "src/shop/__init__.py": "",
        "src/shop/sources.py": "import dagster as dg\n\n@dg.asset\ndef raw_orders(): ...\n",
        "src/shop/assets/__init__.py": "from shop.assets.bronze import *\n",
        "src/shop/assets/bronze.py": "import dagster as dg\n\n@dg.asset(key_prefix='bronze')\ndef events(): ...\n",
        "src/shop/ingest.py": """
            import dagster as dg
            from .sources import raw_orders
            from shop.assets import events
            from shop import sources

            @dg.asset(deps=[raw_orders, events, sources.raw_orders])
            def cleaned(): ...
        """,
    }))
    ingest = entry(index, "src/shop/ingest.py")
    resolved = [index.resolve(ingest, r).keys for r in ingest.summary.references]
    assert resolved == [(("raw_orders",),), (("bronze", "events"),), (("raw_orders",),)]


def test_a_one_part_key_reaches_the_prefixed_asset_of_its_group(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/a.py": """
            import dagster as dg

            @dg.asset(key_prefix="crm", group_name="crm")
            def leads(): ...

            @dg.asset(key_prefix="erp")
            def suppliers(): ...
        """,
        "shop/b.py": """
            import dagster as dg

            @dg.asset(deps=["leads"], group_name="crm")
            def same_group(): ...

            @dg.asset(deps=["leads"])
            def other_group(): ...

            @dg.asset
            def default_group(suppliers): ...
        """,
    }))
    b = entry(index, "shop/b.py")
    by_owner = {r.owner: index.resolve(b, r) for r in b.summary.references}
    assert by_owner["same_group"].keys == (("crm", "leads"),) and by_owner["same_group"].via_group
    assert by_owner["other_group"].unknown
    assert by_owner["default_group"].keys == (("erp", "suppliers"),)


def test_loader_groups_decide_one_part_keys(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/crm.py": "import dagster as dg\n\n@dg.asset(key_prefix='crm')\ndef leads(): ...\n",
        "shop/reports.py": "import dagster as dg\n\n@dg.asset(deps=['leads'])\ndef report(): ...\n",
        "shop/definitions.py": """
            import dagster as dg
            from shop import crm, reports

            defs = dg.Definitions(assets=[
                *dg.load_assets_from_modules([crm], group_name="crm"),
                *dg.load_assets_from_modules([reports]),
            ])
        """,
    }))
    crm = entry(index, "shop/crm.py")
    assert index.asset_group(crm, crm.summary.produced[0]) == "crm"
    reports = entry(index, "shop/reports.py")
    assert index.resolve(reports, reports.summary.references[0]).unknown  # `default` is not `crm`


def test_opaque_producers_hide_only_the_keys_they_may_produce(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/factory.py": """
            import dagster as dg

            def build(table):
                @dg.asset(name=f"raw_{table}")
                def _asset(): ...
                return _asset
        """,
    }))
    assert index.might_produce(("raw_orders",)) is not None
    assert index.might_produce(("stg_orders",)) is None
    assert index.incomplete_reasons() == ["shop/factory.py:6: asset factory: `_asset` is defined inside a function"]


@pytest.mark.parametrize("layout, incomplete", [({"defs/ingest/defs.yaml": "type: x\n"}, True), ({}, False)])
def test_a_defs_folder_is_opaque_only_with_yaml_components(tmp_path, layout, incomplete):
    files = {
        "analytics/__init__.py": "",
        "analytics/definitions.py": "import dagster as dg\n\ndefs = dg.load_from_defs_folder(project_root='.')\n",
        "analytics/defs/assets.py": "import dagster as dg\n\n@dg.asset\ndef events(): ...\n",
    }
    files.update({f"analytics/{k}": v for k, v in layout.items()})
    index = build_index(write_project(tmp_path, files))
    assert (index.might_produce(("anything",)) is not None) is incomplete


def test_modules_without_dagster_still_provide_constants_and_packages(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/settings.py": 'JOB = "orders_job"\n',
        "shop/assets/__init__.py": "",
        "shop/assets/orders.py": "import dagster as dg\n\n@dg.asset\ndef orders(): ...\n",
        "shop/sensors.py": "import dagster as dg\nfrom shop.settings import JOB\n",
        "shop/definitions.py": (
            "import dagster as dg\nfrom shop import assets\n\ndefs = dg.load_assets_from_package_module(assets)\n"
        ),
    }))
    sensors = entry(index, "shop/sensors.py")
    assert index.constant(sensors, "JOB") == "orders_job"
    definitions = entry(index, "shop/definitions.py")
    loader = definitions.summary.facts["definitions"]["loaders"][0]
    assert sorted(e.path.name for e in index.loaded_by(definitions, loader)) == ["__init__.py", "orders.py"]


def test_the_cache_is_keyed_by_content_and_reused(tmp_path, monkeypatch):
    root = write_project(tmp_path, {"shop/__init__.py": "", "shop/a.py": SOURCES, "shop/b.py": "import dagster\n"})
    build_index(root)
    assert list((root / CACHE_DIR).glob("index-*/*.json"))
    computed = []
    original = Summary.of.__func__

    def counting(cls, model, **kwargs):
        computed.append(Path(model.path).name)
        return original(cls, model, **kwargs)

    monkeypatch.setattr(Summary, "of", classmethod(counting))
    build_index(root)
    assert computed == []  # nothing changed: every summary comes from the cache
    (root / "shop/b.py").write_text("import dagster as dg\n\n@dg.asset\ndef changed(): ...\n")
    index = build_index(root)
    assert computed == ["b.py"]
    assert ("changed",) in index.known_keys()


def test_the_same_content_in_a_test_module_is_not_a_production_module(tmp_path):
    asset = "import dagster as dg\n\n@dg.asset\ndef orders(): ...\n"
    root = write_project(tmp_path, {"shop/__init__.py": "", "shop/assets.py": asset, "tests/test_assets.py": asset})
    build_index(root)
    index = build_index(root)  # from the cache, where both contents are the same
    assert [e.path.name for e in index.production() if e.summary.produced] == ["assets.py"]


def test_concurrent_builds_share_the_cache_safely(tmp_path):
    files = {"shop/__init__.py": ""}
    files.update({f"shop/m{i}.py": f"import dagster as dg\n\n@dg.asset\ndef a{i}(): ...\n" for i in range(60)})
    root = write_project(tmp_path, files)
    script = ("import sys, json; from pathlib import Path; from dagster_lint.project import build_index; "
              "print(json.dumps(sorted('/'.join(k) for k in build_index(Path(sys.argv[1])).known_keys())))")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(root)], stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [json.loads(p.communicate()[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert all(out == sorted(f"a{i}" for i in range(60)) for out in outputs)
    for cached in (root / CACHE_DIR).glob("index-*/*.json"):
        json.loads(cached.read_text())  # never a half-written entry
    assert not list((root / CACHE_DIR).glob("index-*/*.tmp"))


def test_an_unchanged_buffer_reuses_the_index_and_its_maps(tmp_path):
    from dagster_lint.engine import parse
    from dagster_lint.model import build

    root = write_project(tmp_path, {"shop/__init__.py": "", "shop/a.py": SOURCES})
    index = build_index(root)
    path = (root / "shop/a.py").resolve()
    text = path.read_text()
    assert index.with_module(path, build(parse(text, str(path)), text, str(path))) is index
    edited = text.replace("def plain", "def edited")
    view = index.with_module(path, build(parse(edited, str(path)), edited, str(path)))
    assert view is not index and ("edited",) in view.known_keys() and ("plain",) not in view.known_keys()
    assert ("plain",) in index.known_keys()


def _cli(args, stdin: str | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    buf = io.StringIO()
    with redirect_stdout(buf):
        cli.main([*args, "--format", "json"])
    return buf.getvalue()


def _lines(output: str, code: str) -> set[int]:
    return {f["line"] for f in json.loads(output) if f["code"] == code}


def _stdin_case():
    """ingest.py as an editor holds it: one typo fixed, one new typo; the disk has the others."""
    ingest = PROJECTS / "lineage_src_layout/src/shop/ingest.py"
    text = ingest.read_text()
    fixed, added, untouched = '"raw_order"]', '"crm_contacts"', 'raw_payment"'
    line_of = {n: text[: text.index(n)].count("\n") + 1 for n in (fixed, added, untouched)}
    buffer = text.replace(fixed, '"raw_orders"]').replace(added, '"crm_contact"')
    return buffer, line_of[fixed], line_of[added], line_of[untouched]


def test_cli_stdin_uses_the_buffer_for_its_file_and_the_disk_for_the_others(monkeypatch):
    buffer, fixed, added, untouched = _stdin_case()
    monkeypatch.chdir(PROJECTS / "lineage_src_layout")
    args = ["-", "--stdin-filename", "src/shop/ingest.py", "--select", "DAG101"]
    out = _cli(args, stdin=buffer, monkeypatch=monkeypatch)
    lines = _lines(out, "DAG101")
    assert added in lines and untouched in lines and fixed not in lines


def test_flake8_stdin_uses_the_buffer_for_its_file_and_the_disk_for_the_others():
    buffer, fixed, added, untouched = _stdin_case()
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=DAG101", "--format=%(row)d:%(code)s", "-",
         "--stdin-display-name", "src/shop/ingest.py"],
        input=buffer, capture_output=True, text=True, cwd=PROJECTS / "lineage_src_layout",
    )
    lines = {int(line.split(":")[0]) for line in proc.stdout.splitlines()}
    assert added in lines and untouched in lines and fixed not in lines


def test_project_root_option_names_the_project(tmp_path, monkeypatch):
    # No pyproject.toml, setup.cfg or setup.py: only --project-root says where the project is.
    (tmp_path / "a.py").write_text("import dagster as dg\n\n@dg.asset\ndef orders(): ...\n")
    (tmp_path / "b.py").write_text("import dagster as dg\n\n@dg.asset(deps=['order'])\ndef report(): ...\n")
    monkeypatch.setattr(project, "_root_overrides", [])
    assert _lines(_cli([str(tmp_path / "b.py"), "--select", "DAG101"]), "DAG101") == set()
    with_root = _cli([str(tmp_path / "b.py"), "--select", "DAG101", "--project-root", str(tmp_path)])
    assert _lines(with_root, "DAG101") == {3}


def test_resolution_of_a_symbol_that_is_not_an_asset_claims_nothing(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/a.py": "import dagster as dg\nfrom shop.helpers import thing\n\n@dg.asset(deps=[thing])\ndef a(): ...\n",
        "shop/helpers.py": "thing = object()\n",
    }))
    a = entry(index, "shop/a.py")
    ref = a.summary.references[0]
    assert isinstance(ref, Reference) and ref.symbol == "thing"
    resolved = index.resolve(a, ref)
    assert resolved.keys == () and not resolved.unknown


def test_the_cache_forgets_old_contents_and_old_versions(tmp_path, monkeypatch):
    root = write_project(tmp_path, {"shop/__init__.py": "", "shop/a.py": "import dagster\nA = 1\n"})
    old_version = root / CACHE_DIR / "index-0.0.1-000000000000"
    old_version.mkdir(parents=True)
    build_index(root)
    assert not old_version.exists()
    monkeypatch.setattr(project._Cache, "SLACK", 0)
    for value in (2, 3, 4):  # three old contents of a.py now outnumber the two live entries
        (root / "shop/a.py").write_text(f"import dagster\nA = {value}\n")
        build_index(root)
    digests = {p.stem for p in (root / CACHE_DIR).glob("index-*/*.json")}
    assert len(digests) == 2  # the two files as they are now


def test_dbt_source_tests_may_check_any_asset(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/dbt.py": """
            import dagster as dg
            from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

            translator = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))
        """,
    }))
    assert index.might_check(("raw_orders",)) is not None
    assert index.might_produce(("raw_orders",)) is None


def test_a_project_package_named_dagster_something_is_no_integration(tmp_path):
    # A corpus project's own `dagster_cam` package: its functions build nothing opaque, and
    # imports from it resolve like any project module's.
    index = build_index(write_project(tmp_path, {
        "dagster_cam/__init__.py": "",
        "dagster_cam/assets.py": "import dagster as dg\n\n@dg.asset\ndef books(): ...\n\nall_assets = [books]\n",
        "dagster_cam/jobs.py": """
            import dagster as dg
            from dagster_cam.assets import books, load_more_assets

            extra = load_more_assets()

            @dg.asset(deps=[books])
            def report(): ...
        """,
    }))
    assert index.incomplete_reasons() == []
    jobs = entry(index, "dagster_cam/jobs.py")
    assert index.resolve(jobs, jobs.summary.references[0]).keys == (("books",),)


def test_reading_globals_adds_no_names(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/read.py": "import dagster as dg\n\nCLASS = globals()['dg']\n",
        "shop/write.py": "import dagster as dg\n\nfor t in ('a', 'b'):\n    globals()[t] = dg.AssetSpec(t)\n",
    }))
    assert [r.split(": ", 1)[1] for r in index.incomplete_reasons()] == [
        "`AssetSpec` with a computed key", "`globals(...)` adds names to the module at import time"]


def test_a_file_that_does_not_parse_hides_what_it_defines(tmp_path):
    index = build_index(write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/sources.py": "import dagster as dg\n\n@dg.asset\ndef raw_orders(:\n",  # saved mid-edit
        "shop/notes.py": "print 'python 2, nothing about the framework'\n",
    }))
    assert index.might_produce(("raw_orders",)) is not None
    assert len(index.incomplete_reasons()) == 1 and "cannot read this file" in index.incomplete_reasons()[0]


def test_excluded_files_are_not_in_the_index(tmp_path):
    root = write_project(tmp_path, {
        "shop/__init__.py": "",
        "shop/assets.py": "import dagster as dg\n\n@dg.asset\ndef orders(): ...\n",
        "legacy/old_assets.py": "import dagster as dg\n\n@dg.asset\ndef orders(): ...\n",
        "build/lib/shop/assets.py": "import dagster as dg\n\n@dg.asset\ndef orders(): ...\n",
    })
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\n\n[tool.dagster-lint]\nexclude = ["legacy/"]\n')
    from dagster_lint.config import _config_for_dir

    _config_for_dir.cache_clear()
    index = build_index(root)
    assert sorted(e.path.relative_to(index.root).as_posix() for e in index.entries.values()) == [
        "shop/__init__.py", "shop/assets.py"]
