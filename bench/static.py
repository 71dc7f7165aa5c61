"""Boards as pre-rendered files behind nginx, so the server is never the bound.

The Python board server (crawler/demo/server.py) is one process that tops out
near 170 pages/s on this machine; nginx serving the same pages as files does
many thousands, and answers conditional GETs (ETag, Last-Modified) itself.
One nginx serves every origin a benchmark needs: one ``listen`` per port.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from crawler.demo.markup import BOARD, listed_releases, render_list, render_release
from crawler.demo.server import Board

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def render(board: Board, root: Path, only: set[int] | None = None) -> int:
    """Write the board's list pages (one past the end too: an empty list ends
    the walk), release pages and robots.txt under ``root``; with ``only``,
    just those releases' pages (an edit).  Returns the pages written."""
    state = board.state
    releases = state["releases"]
    written = 0
    if only is None:
        (root / "view").mkdir(parents=True, exist_ok=True)
        (root / "robots.txt").write_text(state["robots"])
        written += render_lists(board, root)
    for index, release in enumerate(releases):
        if only is None or release["seq"] in only:
            (root / "view" / f"{release['seq']}.html").write_text(render_release(state, index, release), "utf-8")
            written += 1
    return written


def render_lists(board: Board, root: Path) -> int:
    """Write the list pages only (a release added or withdrawn from the list)."""
    state = board.state
    listed = listed_releases(state)
    (root / "list").mkdir(parents=True, exist_ok=True)
    pages = len(listed) // state["per_page"] + 3
    for page in range(1, pages):
        (root / "list" / f"{page}.html").write_text(render_list(state, page, listed), "utf-8")
    return pages - 1


SERVER = """
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /robots.txt {{ default_type text/plain; }}
        location = {board}/list.do {{ try_files /list/$arg_page.html =404; }}
        location = {board}/view.do {{ try_files /view/$arg_seq.html =404; }}
    }}"""

CONFIG = """
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
worker_rlimit_nofile 8192;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    default_type "text/html; charset=utf-8";
    types {{ }}
    keepalive_requests 100000;
    client_body_temp_path {prefix}/tmp;
    proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp;
    scgi_temp_path {prefix}/tmp;
{servers}
}}
"""


def free_ports(count: int) -> list[int]:
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


class Nginx:
    """nginx serving one directory per port, on 127.0.0.1; a context manager.

    One worker process: the benchmark's point is what presswatch costs, and
    on a 2-core machine a second nginx worker would take CPU from the crawl."""

    def __init__(self, prefix: Path, roots: list[Path]):
        self.prefix = prefix
        self.roots = roots
        self.ports = free_ports(len(roots))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def __enter__(self) -> Nginx:
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        servers = "".join(
            SERVER.format(port=port, root=root.resolve(), board=BOARD) for port, root in zip(self.ports, self.roots)
        )
        config = self.prefix / "nginx.conf"
        config.write_text(CONFIG.format(prefix=self.prefix.resolve(), servers=servers))
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix.resolve()), "-c", str(config.resolve())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.ports[-1]), timeout=0.2).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    error = self.process.stderr.read().decode() if self.process.stderr else ""
                    raise SystemExit(f"nginx did not start: {error}") from None
                time.sleep(0.05)
        raise SystemExit("nginx did not start listening within 10 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
