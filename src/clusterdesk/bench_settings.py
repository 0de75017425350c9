"""Settings of ``make bench``: the project's, with the baseline view's URL (``bench_urls``)."""

from clusterdesk.settings import *  # noqa: F403 - the project's settings, one change

ROOT_URLCONF = "clusterdesk.bench_urls"
