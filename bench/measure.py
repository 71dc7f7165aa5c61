"""Run a command and measure it: wall time, peak RSS and CPU of the child."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Records the child's peak RSS: ru_maxrss of RUSAGE_CHILDREN is per waiting process.
WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}')\n"
    "sys.exit(code)\n"
)


@dataclass
class Measured:
    result: subprocess.CompletedProcess[str]
    seconds: float  # wall, interpreter start-up included
    peak_rss_mb: float
    cpu_seconds: float  # user + system, start-up included


def measured(command: list[str], env: dict[str, str] | None = None) -> Measured:
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", WRAPPER, rss.name, *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
        seconds = time.perf_counter() - started
        peak_kb, cpu = rss.read().split()
    return Measured(result, seconds, int(peak_kb) / 1024, float(cpu))
