"""Alerts: after each crawl, one message per site and destination with what
changed, through Apprise (e-mail, chat, webhooks), each change sent once."""

from crawler.readers.alerts.config import Destination, load_config
from crawler.readers.alerts.deliver import Sent, deliver, send
from crawler.readers.alerts.message import compose, sample

__all__ = ["Destination", "Sent", "compose", "deliver", "load_config", "sample", "send"]
