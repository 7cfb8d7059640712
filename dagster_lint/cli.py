"""The `dagster-lint` command: find files, lint them, print findings."""

from __future__ import annotations

import argparse
import difflib
import io
import os
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from dagster_lint import __version__, cache, formats, runner
from dagster_lint.config import Config, ConfigError, config_for, parse_selectors, read_pyproject
from dagster_lint.config import forget as forget_configuration
from dagster_lint.engine import UnreadableSource, apply_noqa, decode, lint_source
from dagster_lint.registry import Finding, iter_rules
from dagster_lint.unused_noqa import CODE as CHECK_NOQA
from dagster_lint.unused_noqa import unused_noqa

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
    p.add_argument("--statistics", action="store_true",
                   help="print the number of findings per code instead of the findings")
    p.add_argument("--stdin-filename", help="the path a buffer read from stdin stands for (config, messages)")
    p.add_argument("--config", type=Path, help="pyproject.toml to read instead of the nearest one")
    p.add_argument("--project-root", type=Path,
                   help="the root of the project that rules across files read (default: the directory of the "
                        "nearest pyproject.toml, setup.cfg or setup.py)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--fix", action="store_true", help="apply the fixes of the findings marked [*], report what is left")
    p.add_argument("--diff", action="store_true", help="print what --fix would change as a unified diff")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N", help="lint in N processes (default: 1)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (findings, project index)")
    p.add_argument("--cache-dir", type=Path, metavar="DIR",
                   help=f"keep the cache in DIR (default: {cache.CACHE_DIR}/ of each project; also ${cache.ENV_DIR})")
    p.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    p.add_argument("--version", action="version", version=f"dagster-lint {__version__}")
    _add_runtime_arguments(p)
    return p


def _add_runtime_arguments(parser: argparse.ArgumentParser) -> None:
    from dagster_lint.runtime.frontend import add_cli_arguments

    add_cli_arguments(parser)


def _runtime_session(args):
    """Runtime findings for this run (nothing is loaded unless runtime mode is on)."""
    from dagster_lint.runtime.frontend import CliRuntime

    return CliRuntime(args)


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
    if args.project_root is not None:
        if not args.project_root.is_dir():
            parser.print_usage(sys.stderr)
            print(f"dagster-lint: error: --project-root {args.project_root}: no such directory", file=sys.stderr)
            return EXIT_ERROR
        from dagster_lint.project import set_project_root

        set_project_root(args.project_root)
    session = None
    if args.fix or args.diff:
        session = _fix_session(args)
        if session is None:
            return EXIT_ERROR
    from dagster_lint.runtime.targets import TargetError

    try:
        overrides = _overrides(args)
        base = read_pyproject(args.config) if args.config else None
        runtime = _runtime_session(args)
        reports = list(_lint_paths(args.paths or ["."], args, base, overrides, runtime, session))
        reports += [Report(path, f) for path, f in runtime.unreported(
            lambda path: _effective(base or config_for(path), overrides).enabled_for(path))]
    except (ConfigError, TargetError) as exc:
        print(f"dagster-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"dagster-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    reports.sort(key=Report.sort_key)
    rc = EXIT_FINDINGS if reports and not args.exit_zero else EXIT_CLEAN
    try:
        if session is not None:
            return session.finish(reports, args)
        if args.statistics:
            formats.statistics(reports, sys.stdout)
        else:
            formats.FORMATS[args.format](reports, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`dagster-lint | head`): stop writing, and keep Python's flush at exit quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return rc
    if reports and args.format == "text":
        files = len({r.path for r in reports})
        print(f"Found {len(reports)} finding{'s' * (len(reports) != 1)} in {files} file{'s' * (files != 1)}.",
              file=sys.stderr)
        fixable = sum(1 for r in reports if r.finding.fix is not None)
        if fixable:
            print(f"[*] {fixable} fixable with `dagster-lint --fix` (preview with `--diff`).", file=sys.stderr)
    return rc


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


def _lint_paths(paths, args, base: Config | None, overrides: dict, runtime, fix=None) -> Iterator[Report]:
    """Reports for `paths`. `fix`: the `--fix`/`--diff` session, which lints each file as it
    rewrites it; otherwise files go through the runner (cached findings, `-j`)."""
    if "-" in paths and len(paths) > 1:
        raise _UsageError("`-` (stdin) cannot be combined with other paths")
    if paths == ["-"]:
        display = args.stdin_filename or "-"
        config = _effective(base or config_for(args.stdin_filename or None), overrides)
        data = sys.stdin.buffer.read()
        if fix is not None:
            yield from fix.handle(data, display, config, None)
            return
        enabled = config.enabled_for(display if display != "-" else None)
        findings = runner.lint_data(data, display, enabled)
        if display != "-":
            findings = _with_runtime(runtime, display, config, enabled, findings, data)
        for finding in findings:
            yield Report(display, finding)
        return
    files: list[tuple[Path, Config, str]] = []
    effective: dict[int, tuple[Config, str]] = {}  # by id of the configuration of a directory
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise _UsageError(f"{raw}: no such file or directory")
        for file, governing in _python_files(path, base):
            if id(governing) not in effective:
                config = _effective(governing, overrides)
                effective[id(governing)] = (config, repr(config))
            files.append((file, *effective[id(governing)]))
    if fix is not None:
        for file, config, _ in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                yield Report(str(file), Finding("DAG000", 1, 0, f"cannot read the file: {exc.strerror}"))
                continue
            yield from fix.handle(data, str(file), config, file)
        return
    tasks = [runner.Task(str(file), config.enabled_for(file), key) for file, config, key in files]
    for (_, config, _), task, findings in zip(files, tasks, runner.run(tasks, jobs=args.jobs)):
        findings = _with_runtime(runtime, task.path, config, task.enabled, findings)
        for finding in findings:
            yield Report(task.path, finding)


def _with_runtime(runtime, path: str, config: Config, enabled, findings: list[Finding], data: bytes | None = None):
    """`findings` with the runtime findings of `path` merged in, its `# noqa` comments applied,
    and DAG002 for the comments that suppress nothing (when it is enabled)."""
    extra = [f for f in runtime.for_file(path, config) if f.code in enabled]
    if not extra and CHECK_NOQA not in enabled:
        return findings
    try:
        source = decode(data if data is not None else Path(path).read_bytes())
    except (OSError, UnreadableSource):
        return findings
    if extra:
        from dagster_lint.runtime.frontend import merge

        findings = merge(findings, apply_noqa(extra, source))
    if CHECK_NOQA in enabled:
        findings = sorted([*findings, *unused_noqa(source, path, enabled, extra)],
                          key=lambda f: (f.line, f.col, f.code))
    return findings


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


# ----------------------------------------------------------------------------- --fix / --diff


def _fix_session(args) -> _FixSession | None:
    try:
        from dagster_lint import fixes
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != "libcst":
            raise
        print(
            "dagster-lint: error: --fix and --diff need libcst, which is not installed; "
            "install it with `pip install 'dagster-lint[fix]'`",
            file=sys.stderr,
        )
        return None
    return _FixSession(fixes, preview=args.diff)


class _FixSession:
    """Fixes each file it is handed, writes it (or, previewing, collects its diff), and reports
    the findings left on the fixed text."""

    def __init__(self, fixes, *, preview: bool) -> None:
        self.fixes = fixes
        self.preview = preview
        self.applied = 0
        self.files = 0
        self.diffs: list[str] = []
        self.stdin_output: bytes | None = None

    def handle(self, data: bytes, display: str, config: Config, file: Path | None) -> Iterator[Report]:
        try:
            source = decode(data)
        except UnreadableSource as exc:
            yield Report(display, Finding("DAG000", 1, 0, str(exc)))
            return
        enabled = config.enabled_for(display if display != "-" else None)

        def lint(text: str) -> list[Finding]:
            return apply_noqa(lint_source(text, display, enabled=enabled), text)

        result = self.fixes.fix_source(source, lint, path=display)
        fixed = _encode_like(data, result.source) if result.applied else None
        if result.applied and fixed is None:  # not writable in the file's encoding: leave it alone
            result = self.fixes.FixResult(source, 0, lint(source))
        elif fixed is not None and self.preview:
            self.diffs.append(_unified_diff(source, result.source, display))
        elif fixed is not None and file is not None:
            file.write_bytes(fixed)
        if fixed is not None:
            self.applied += result.applied
            self.files += 1
        if file is None:
            self.stdin_output = fixed if fixed is not None else data
        for finding in result.findings:
            yield Report(display, finding)

    def finish(self, reports: list[Report], args) -> int:
        if self.preview:
            sys.stdout.write("".join(self.diffs))
            print(f"Would fix {_plural(self.applied, 'finding')} in {_plural(self.files, 'file')}.", file=sys.stderr)
            return EXIT_FINDINGS if self.applied else EXIT_CLEAN
        out = sys.stdout
        if self.stdin_output is not None:
            # The fixed buffer is the output (editors replace theirs with it); findings go to stderr.
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:
                sys.stdout.flush()
                buffer.write(self.stdin_output)
                buffer.flush()
            else:
                sys.stdout.write(decode(self.stdin_output))
            out = sys.stderr
        if args.statistics:
            formats.statistics(reports, out)
        else:
            formats.FORMATS[args.format](reports, out)
        print(
            f"Fixed {_plural(self.applied, 'finding')} in {_plural(self.files, 'file')}; "
            f"{_plural(len(reports), 'finding')} left.",
            file=sys.stderr,
        )
        return EXIT_FINDINGS if reports and not args.exit_zero else EXIT_CLEAN


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _encode_like(original: bytes, text: str) -> bytes | None:
    """`text` in the encoding of `original` (its coding cookie or BOM); None if it cannot be."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
        return text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _unified_diff(old: str, new: str, display: str) -> str:
    out = []
    for line in difflib.unified_diff(_LINE.findall(old), _LINE.findall(new), fromfile=display, tofile=display):
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


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
