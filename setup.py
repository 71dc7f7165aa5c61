# scrapyd-deploy builds presswatch's egg with `setup.py bdist_egg`; all the
# metadata is in pyproject.toml.
from setuptools import setup

setup()
