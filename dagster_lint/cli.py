"""The `dagster-lint` command: find files, lint them, print findings."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from dagster_lint import __version__, cache, formats, runner
from dagster_lint.config import Config, ConfigError, config_for, parse_selectors, read_pyproject
from dagster_lint.config import forget as forget_configuration
from dagster_lint.registry import Finding, iter_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Report:
    path: str
    finding: Finding

    def sort_key(self):
        f = self.finding
        return (self.path, f.line, f.col, f.code, f.message)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dagster-lint",
        description="Lint Dagster code. `dagster-lint rule DAG204` explains a rule.",
    )
    p.add_argument("paths", nargs="*", help="files or directories to lint (default: .); `-` reads stdin")
    p.add_argument("--select", help="only these codes or prefixes, comma-separated (replaces the configured set)")
    p.add_argument("--extend-select", help="also these codes, e.g. to enable rules that are off by default")
    p.add_argument("--ignore", help="skip these codes or prefixes, comma-separated (added to the configured ones)")
    p.add_argument("--format", choices=sorted(formats.FORMATS), default="text", help="output format (default: text)")
    p.add_argument("--statistics", action="store_true", help="print the number of findings per code instead of the findings")
    p.add_argument("--stdin-filename", help="the path a buffer read from stdin stands for (config, messages)")
    p.add_argument("--config", type=Path, help="pyproject.toml to read instead of the nearest one")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N", help="lint in N processes (default: 1)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (findings, project index)")
    p.add_argument("--cache-dir", type=Path, metavar="DIR",
                   help=f"keep the cache in DIR (default: {cache.CACHE_DIR}/ of each project; also ${cache.ENV_DIR})")
    p.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    p.add_argument("--version", action="version", version=f"dagster-lint {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["rule"]:
        return _explain(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_rules:
        _list_rules()
        return EXIT_CLEAN
    cache.configure(enabled=not args.no_cache, directory=args.cache_dir)
    forget_configuration()  # files may have changed since an earlier run in this process
    try:
        overrides = _overrides(args)
        base = read_pyproject(args.config) if args.config else None
        reports = list(_lint_paths(args.paths or ["."], args, base, overrides))
    except ConfigError as exc:
        print(f"dagster-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"dagster-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    reports.sort(key=Report.sort_key)
    if args.statistics:
        formats.statistics(reports, sys.stdout)
    else:
        formats.FORMATS[args.format](reports, sys.stdout)
    if reports and args.format == "text":
        files = len({r.path for r in reports})
        print(f"Found {len(reports)} finding{'s' * (len(reports) != 1)} in {files} file{'s' * (files != 1)}.", file=sys.stderr)
    return EXIT_FINDINGS if reports and not args.exit_zero else EXIT_CLEAN


class _UsageError(Exception):
    pass


def _overrides(args) -> dict:
    out = {}
    if args.select:
        out["select"] = parse_selectors(args.select, "--select")
    if args.extend_select:
        out["extend_select"] = parse_selectors(args.extend_select, "--extend-select")
    if args.ignore:
        out["ignore"] = parse_selectors(args.ignore, "--ignore")
    return out


def _effective(config: Config, overrides: dict) -> Config:
    values = dict(config.__dict__)
    if "select" in overrides:
        values["select"] = overrides["select"]
    values["extend_select"] = config.extend_select + overrides.get("extend_select", ())
    values["ignore"] = config.ignore + overrides.get("ignore", ())
    return Config(**values)


def _lint_paths(paths, args, base: Config | None, overrides: dict) -> Iterator[Report]:
    if "-" in paths and len(paths) > 1:
        raise _UsageError("`-` (stdin) cannot be combined with other paths")
    if paths == ["-"]:
        display = args.stdin_filename or "-"
        config = _effective(base or config_for(args.stdin_filename or None), overrides)
        enabled = config.enabled_for(display if display != "-" else None)
        for finding in runner.lint_data(sys.stdin.buffer.read(), display, enabled):
            yield Report(display, finding)
        return
    tasks = []
    effective: dict[int, tuple[Config, str]] = {}  # by id of the configuration of a directory
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise _UsageError(f"{raw}: no such file or directory")
        for file, governing in _python_files(path, base):
            if id(governing) not in effective:
                config = _effective(governing, overrides)
                effective[id(governing)] = (config, repr(config))
            config, key = effective[id(governing)]
            tasks.append(runner.Task(str(file), config.enabled_for(file), key))
    for task, findings in zip(tasks, runner.run(tasks, jobs=args.jobs)):
        for finding in findings:
            yield Report(task.path, finding)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {text!r}")
    return jobs


def _python_files(path: Path, base: Config | None) -> Iterator[tuple[Path, Config]]:
    """The Python files under `path`, each with the configuration that governs it."""
    if path.is_file():
        yield path, base or config_for(path)
        return
    for directory, dirnames, filenames in os.walk(path):
        here = Path(directory)
        config = base or config_for(here)
        dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(here / d))
        for name in sorted(filenames):
            if name.endswith(".py") and not config.is_excluded(here / name):
                yield here / name, config


def _list_rules() -> None:
    for r in iter_rules():
        default = "on " if r.default else "off"
        print(f"{r.code}  {r.msgid}  {r.severity}  {r.mode:<3} {default}  {r.symbol:<38} {r.summary}")


def _explain(argv: list[str]) -> int:
    from dagster_lint.docs import render_rule

    if len(argv) != 1:
        print("usage: dagster-lint rule CODE_OR_SYMBOL", file=sys.stderr)
        return EXIT_ERROR
    wanted = argv[0]
    for r in iter_rules():
        if wanted.upper() in (r.code, r.msgid) or wanted == r.symbol:
            print(render_rule(r), end="")
            return EXIT_CLEAN
    print(f"dagster-lint: error: no rule {wanted!r}; see `dagster-lint --list-rules`", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
