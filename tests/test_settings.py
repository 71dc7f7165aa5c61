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


def test_the_extensions_presswatch_keeps_off_are_not_even_imported():
    # Scrapy imports every extension it names before asking if it is on;
    # RemoteControl's import alone loads aiohttp, on every cron run.
    code = (
        "import sys; from scrapy.utils.project import get_project_settings; "
        "from scrapy.utils.conf import build_component_list; from scrapy.utils.misc import load_object; "
        "names = get_project_settings().get_component_priority_dict_with_base('EXTENSIONS'); "
        "[load_object(path) for path in build_component_list(names)]; "  # as Scrapy's ExtensionManager does
        "print(sorted(m for m in ('aiohttp', 'scrapy.extensions.remote_control', 'scrapy.extensions.telnet') "
        "if m in sys.modules))"
    )
    env = {"PATH": "/usr/bin:/bin", "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
