"""A crawl's log: records below the level asked for are never built."""

import logging
from logging.config import dictConfig

import pytest
from scrapy.settings import Settings
from scrapy.utils.log import DEFAULT_LOGGING, configure_logging

from crawler.runner import build_only_shown_records


@pytest.fixture
def scrapy_logging():
    configure_logging(Settings({"LOG_LEVEL": "INFO"}))  # Scrapy's own: its loggers at DEBUG, the root at NOTSET
    yield
    dictConfig(DEFAULT_LOGGING)


@pytest.mark.parametrize(
    ("level", "dropped", "kept"),
    [("INFO", logging.DEBUG, logging.INFO), ("WARNING", logging.INFO, logging.WARNING)],
)
def test_records_below_the_level_are_not_built(scrapy_logging, level, dropped, kept):
    engine, pipeline = logging.getLogger("scrapy.core.engine"), logging.getLogger("crawler.pipelines")
    assert engine.isEnabledFor(logging.DEBUG)  # as Scrapy leaves it: every "Crawled" record built, then dropped
    restore = build_only_shown_records(Settings({"LOG_LEVEL": level}))
    try:
        for logger in (engine, pipeline):
            assert not logger.isEnabledFor(dropped)
            assert logger.isEnabledFor(kept)
    finally:
        restore()
    assert engine.isEnabledFor(logging.DEBUG) and pipeline.isEnabledFor(logging.DEBUG)


def test_what_the_format_prints_is_still_looked_up(scrapy_logging):
    plain = build_only_shown_records(Settings({"LOG_LEVEL": "INFO"}))
    try:
        record = logging.getLogger("crawler").makeRecord("crawler", logging.INFO, "f.py", 1, "m", (), None)
        assert record.threadName is None and record.process is None
        assert logging._srcfile is None
    finally:
        plain()
    threads = build_only_shown_records(
        Settings({"LOG_LEVEL": "INFO", "LOG_FORMAT": "%(threadName)s %(lineno)d %(message)s"})
    )
    try:
        record = logging.getLogger("crawler").makeRecord("crawler", logging.INFO, "f.py", 1, "m", (), None)
        assert record.threadName == "MainThread"
        assert logging._srcfile is not None
    finally:
        threads()
    assert logging.logThreads and logging.logProcesses and logging._srcfile is not None
