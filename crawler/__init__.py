"""presswatch's crawler: Scrapy spiders built from site profiles."""

__version__ = "0.1.0"
