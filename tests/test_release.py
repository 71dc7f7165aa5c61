"""A release people can install and upgrade to: the wheel works outside the
checkout, and its version is the one the changelog describes."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crawler import __version__

from .helpers import ROOT

UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def test_the_changelog_describes_this_release():
    newest = re.search(r"^## (\S+) — ", (ROOT / "CHANGELOG.md").read_text("utf-8"), re.M)
    assert newest and newest.group(1) == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel, built from the checkout and installed into a fresh virtual
    environment in a directory of its own (uv: seconds, where pip takes a minute)."""
    if UV is None:
        pytest.fail("uv is not installed: `make test` installs it with the test dependencies")
    where = tmp_path_factory.mktemp("wheel")
    # the sdist and the wheel, as a release makes them (PEP 517, in an isolated build environment)
    subprocess.run(
        [UV, "build", "--quiet", "--sdist", "--wheel", "-o", str(where / "dist"), str(ROOT)],
        check=True,
        timeout=300,
        cwd=where,
    )
    assert (where / "dist" / f"presswatch-{__version__}.tar.gz").is_file()
    [wheel] = (where / "dist").glob("presswatch-*.whl")
    assert wheel.name == f"presswatch-{__version__}-py3-none-any.whl"
    env = where / "env"
    subprocess.run([UV, "venv", "--quiet", "--python", sys.executable, str(env)], check=True, timeout=120)
    subprocess.run(
        [UV, "pip", "install", "--quiet", "--python", str(env / "bin" / "python"), str(wheel)], check=True, timeout=600
    )
    return env, where


def run(env: Path, where: Path, *args: str, **options) -> subprocess.CompletedProcess:
    clean = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(env / "bin" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        cwd=where,
        env=clean,
        timeout=180,
        **options,
    )


def test_the_wheel_runs_outside_the_checkout(installed):
    env, where = installed
    found = run(env, where, "python", "-c", "import crawler, storage; print(crawler.__file__, storage.__file__)")
    assert str(ROOT) not in found.stdout and str(env) in found.stdout  # not the checkout's code
    assert run(env, where, "presswatch", "--version").stdout.strip() == f"presswatch, version {__version__}"
    assert "verify" in run(env, where, "presswatch", "--help").stdout
    demo = run(env, where, "python", "-m", "crawler.demo", "--db", "demo.db")
    assert demo.returncode == 0, demo.stderr  # its profiles and sample board came with the wheel
    assert run(env, where, "presswatch", "verify", "--db", "demo.db").returncode == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(env / "bin" / "presswatch"), "serve", "--db", "demo.db", "--port", str(port)],
        cwd=where,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = ""
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/demo/changes") as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        assert "mofa_en" in page  # the plugin's templates and queries came with it
    finally:
        server.terminate()
        server.wait(10)
