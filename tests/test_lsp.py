"""Editors: python-lsp-server (pylsp) with its flake8 and pylint plugins shows DAG findings for the
unsaved buffer, through the same JSON-RPC over stdio that an editor speaks."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dagster_lint.registry import RULES, load_rules

pytest.importorskip("pylsp", reason="python-lsp-server is in the `test` extra: pip install -e '.[test]'")

BIN = Path(sys.executable).parent
TIMEOUT = 60.0

ON_DISK = '''import dagster as dg


@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), description="Orders.")
def orders(context: dg.AssetExecutionContext):
    return [context.partition_key]
'''

# The editor's buffer: edited, not saved. The partition key is no longer read, and the asset moved
# down three lines, so a finding on the right line can only come from the buffer.
BUFFER = '''"""Orders of the shop."""

import dagster as dg

DAILY = dg.DailyPartitionsDefinition(start_date="2024-01-01")


@dg.asset(partitions_def=DAILY, description="Orders.")
def orders(context: dg.AssetExecutionContext):
    return [1, 2, 3]
'''
BUFFER_LINE = 8  # 0-based: the `def orders` line (LSP counts lines from 0, linters from 1)


class LanguageServer:
    """A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, cmd: list[str], cwd: Path, log: Path):
        self._log = log.open("wb")
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        self.messages: queue.Queue = queue.Queue()
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    header = stream.readline()
                    if not header:
                        return
                    header = header.strip()
                    if not header:
                        break
                    name, _, value = header.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    return
                self.messages.put(json.loads(stream.read(length)))
        finally:
            self.messages.put(None)  # end of stream

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict, timeout: float = TIMEOUT) -> dict:
        self._next_id += 1
        rid = self._next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def wait_for(self, predicate, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching message within {timeout:.0f}s")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise EOFError(f"the server exited ({self.proc.poll()})")
            if "id" in message and "method" in message:  # a request from the server: answer it
                self.send({"id": message["id"], "result": None})
            if predicate(message):
                return message

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", {}, timeout=10)
                self.notify("exit", {})
                self.proc.wait(timeout=10)
        except (OSError, TimeoutError, EOFError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self._log.close()


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed next to {sys.executable}")
    return str(path)


def test_pylsp_flake8_and_pylint_plugins_report_the_unsaved_buffer(tmp_path):
    load_rules()
    workspace = tmp_path / "project"
    workspace.mkdir()
    path = workspace / "assets.py"
    path.write_text(ON_DISK)
    uri = path.as_uri()
    settings = {
        "pylsp": {
            "plugins": {
                "pycodestyle": {"enabled": False},
                "pyflakes": {"enabled": False},
                "mccabe": {"enabled": False},
                "flake8": {"enabled": True, "executable": tool("flake8")},
                # pylsp lints the buffer (via --from-stdin) only when the pylint executable is set.
                "pylint": {
                    "enabled": True,
                    "executable": tool("pylint"),
                    "args": ["--load-plugins=dagster_lint.pylint"],
                },
            }
        }
    }

    server = LanguageServer([sys.executable, "-m", "pylsp"], cwd=workspace, log=tmp_path / "pylsp.log")
    try:
        init = server.request(
            "initialize",
            {"processId": None, "rootUri": workspace.as_uri(), "capabilities": {}, "workspaceFolders": None},
        )
        assert "capabilities" in init.get("result", {}), init
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": settings})
        server.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": BUFFER}},
        )

        pylint_msgid = RULES["DAG204"].msgid
        seen: list = []

        def has_both(message: dict) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics" or message["params"]["uri"] != uri:
                return False
            seen[:] = message["params"]["diagnostics"]
            found = {(d.get("source"), d.get("code"), d["range"]["start"]["line"]) for d in seen}
            return ("flake8", "DAG204", BUFFER_LINE) in found and ("pylint", pylint_msgid, BUFFER_LINE) in found

        try:
            server.wait_for(has_both)
        except (TimeoutError, EOFError) as exc:
            log = (tmp_path / "pylsp.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"{exc}; last diagnostics: {json.dumps(seen, indent=1)}\nserver log:\n{log}")
    finally:
        server.close()

    flake8_diag = next(d for d in seen if d.get("code") == "DAG204")
    assert "orders" in flake8_diag["message"] and "partition_key" in flake8_diag["message"]
    pylint_diag = next(d for d in seen if d.get("code") == pylint_msgid)
    assert "partitioned-asset-ignores-partition" in pylint_diag["message"]
