"""Real redis-server, Scrapyd nodes and `presswatch writer` on 127.0.0.1,
each with its own directory and free port: what the scale-out tests and
benchmark run presswatch against (docs/scale-out.md)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .measure import ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(ready, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {timeout:.0f} s")


class Service:
    """A process of its own session, so that stopping it stops its children."""

    process: subprocess.Popen | None = None
    log: Path | None = None  # its output, kept across restarts

    def spawn(self, command: list[str], cwd: Path, env: dict | None = None, log: str = "service.log") -> None:
        self.log = cwd / log
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL, with every child: a machine losing power."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def running(self) -> bool:
        return bool(self.process) and self.process.poll() is None


class RedisServer(Service):
    """redis-server with its append-only file fsynced on every write: a
    restart loses nothing."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.spawn(
            [
                redis_server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            self.folder,
            log="redis.log",
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 0.2).close() is None, "redis-server")
        return self

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


SCRAPYD_CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = eggs
logs_dir = logs
items_dir =
dbs_dir = dbs
max_proc = {max_proc}
poll_interval = {poll}
finished_to_keep = 1000
"""


class ScrapydNode(Service):
    """One Scrapyd node: a directory with its scrapyd.conf, eggs and logs."""

    def __init__(self, folder: Path, name: str, *, max_proc: int = 2, poll: float = 0.2, env: dict | None = None):
        self.folder = folder
        self.name = name
        self.port = free_port()
        self.env = env or {}
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=self.port, max_proc=max_proc, poll=poll))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ScrapydNode:
        self.spawn([str(BIN / "scrapyd")], self.folder, self.env, log="scrapyd.log")
        wait_for(lambda: self.api("daemonstatus")["status"] == "ok", f"scrapyd node {self.name}")
        return self

    def api(self, name: str, **params: str) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}/{name}.json{query}", timeout=5) as response:
            return json.load(response)

    def job_log(self, job: str) -> str:
        with urllib.request.urlopen(f"{self.url}/logs/presswatch/presswatch/{job}.log", timeout=5) as response:
            return response.read().decode("utf-8", "replace")


def deploy(nodes: list[ScrapydNode], config_home: Path) -> subprocess.CompletedProcess:
    """`scrapyd-deploy -a`: presswatch's egg to every node, the targets in a
    scrapy.cfg of the user's ($XDG_CONFIG_HOME), as docs/scale-out.md says."""
    config_home.mkdir(parents=True, exist_ok=True)
    (config_home / "scrapy.cfg").write_text(
        "".join(f"[deploy:{node.name}]\nurl = {node.url}/\nproject = presswatch\n\n" for node in nodes)
    )
    return subprocess.run(
        [str(BIN / "scrapyd-deploy"), "-a", "-p", "presswatch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "XDG_CONFIG_HOME": str(config_home)},
    )


def relay_key_file(folder: Path) -> Path:
    """A new relay key, as docs/scale-out.md has one made (`openssl rand -hex 32`)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "relay.key"
    path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)
    return path


def nodes_toml(path: Path, nodes: list[ScrapydNode], redis_url: str, key_file: Path) -> Path:
    path.write_text(
        f'redis = "{redis_url}"\nkey_file = "{key_file}"\n\n'
        + "".join(f'[[node]]\nname = "{node.name}"\nurl = "{node.url}"\n\n' for node in nodes)
    )
    return path


class Writer(Service):
    """`presswatch writer`: the archive's one writer, fed from Redis."""

    def __init__(self, folder: Path, redis_url: str, db: Path, key_file: Path):
        self.folder = folder
        self.redis_url = redis_url
        self.db = db
        self.key_file = key_file

    def start(self) -> Writer:
        started = self.log.read_text().count("writer: applying") if self.log else 0
        self.spawn(
            [
                sys.executable,
                "-m",
                "crawler",
                "writer",
                "--redis",
                self.redis_url,
                "--db",
                str(self.db),
                "--key-file",
                str(self.key_file),
            ],
            self.folder,
            log="writer.log",
        )
        wait_for(lambda: self.log.read_text().count("writer: applying") > started, "presswatch writer", 20)
        return self


class Pywb:
    """A real pywb (the tools environment `make test` installs) serving WARC
    files as one collection, on a free port: the backfill tests and
    benchmark ask its CDX API (``cdx``) as they would the Wayback Machine's."""

    def __init__(self, folder: Path, warcs: list[Path], collection: str = "press"):
        self.folder, self.warcs, self.collection = folder, warcs, collection
        self.process: subprocess.Popen | None = None
        self.cdx = ""

    def __enter__(self) -> Pywb:
        tools = Path(os.environ.get("PRESSWATCH_TOOLS", ROOT / ".venv" / "tools")) / "bin"
        if not (tools / "wayback").exists():
            raise RuntimeError(f"pywb is not installed in {tools.parent}: run `make test`, which installs it")
        self.folder.mkdir(parents=True, exist_ok=True)
        for step in (
            ["wb-manager", "init", self.collection],
            ["wb-manager", "add", self.collection, *map(str, self.warcs)],
        ):
            subprocess.run(
                [str(tools / step[0]), *step[1:]], cwd=self.folder, check=True, capture_output=True, timeout=600
            )
        port = free_port()
        self.process = subprocess.Popen(
            [str(tools / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.cdx = f"http://127.0.0.1:{port}/{self.collection}/cdx"
        wait_for(
            lambda: urllib.request.urlopen(self.cdx + "?url=example.org&output=json", timeout=5).close() or True, "pywb"
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
