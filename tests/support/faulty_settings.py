"""The site's settings with tests/support/faulty_urls.py: for a test server that has a broken page."""

from socsec.settings import *  # noqa: F403

ROOT_URLCONF = "tests.support.faulty_urls"
