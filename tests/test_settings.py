"""Polite defaults for the real sites (tests override them via the environment)."""

import subprocess
import sys

from .helpers import ROOT


def test_polite_defaults_without_overrides():
    code = (
        "import json, crawler.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['ROBOTSTXT_OBEY', 'AUTOTHROTTLE_ENABLED', 'DOWNLOAD_DELAY', 'CONCURRENT_REQUESTS_PER_DOMAIN', "
        "'USER_AGENT', 'TELNETCONSOLE_ENABLED', 'REMOTE_CONTROL_ENABLED', 'PRESSWATCH_REVISIT_DAYS']}))"
    )
    env = {"PATH": "/usr/bin:/bin"}  # none of the PRESSWATCH_* overrides
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    import json

    settings = json.loads(result.stdout)
    assert settings["ROBOTSTXT_OBEY"] is True
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["DOWNLOAD_DELAY"] >= 1
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert settings["USER_AGENT"].startswith("presswatch/") and "(+https://" in settings["USER_AGENT"]
    assert settings["TELNETCONSOLE_ENABLED"] is False and settings["REMOTE_CONTROL_ENABLED"] is False
    assert settings["PRESSWATCH_REVISIT_DAYS"] == 30
