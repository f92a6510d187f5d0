"""The site under gunicorn: the page cache shared by processes, and the request log."""

import re
import time
import urllib.error
import urllib.request

import pytest

from tests.support.server import running_site

pytestmark = pytest.mark.slow

SEED_PATH = "/en/faq/accidentally-put-money-on-card/"


@pytest.fixture(scope="module")
def site():
    with running_site(workers=2) as server:
        yield server


def fetch(url):
    with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - loopback test server
        return dict(response.headers), response.read().decode()


def test_an_edit_saved_by_another_process_shows_on_the_next_request(site):
    fetch(site.url(SEED_PATH))
    # Several requests: with two workers, both have now served (and cached) the page.
    for _ in range(6):
        headers, _ = fetch(site.url(SEED_PATH))
    assert headers["X-Page-Cache"] == "hit"

    new_title = "Money on my card is not showing (edited elsewhere)"
    site.manage(
        "shell",
        "-c",
        "from inquiry.faq.models import Article; a = Article.objects.get(slug='accidentally-put-money-on-card'); "
        f"a.title_en = {new_title!r}; a.save()",
    )
    for _ in range(6):  # whichever worker answers
        headers, body = fetch(site.url(SEED_PATH))
        assert new_title in body
    assert headers["X-Page-Cache"] == "hit"


def test_one_log_line_per_request_with_status_and_duration_and_no_personal_data(site):
    secret = "my-id-number-110101199003070000"
    fetch(site.url(f"/en/faq/?q={secret}&name=zhang"))
    try:
        fetch(site.url(f"/en/faq/no-such-page/?q={secret}"))
    except urllib.error.HTTPError as error:
        assert error.code == 404
    # The lines are written in batches, up to a second or two late, by whichever worker answered.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
        line in site.log() for line in (" GET /en/faq/no-such-page/ 404 ", " GET /en/faq/ 200 ")
    ):
        time.sleep(0.1)
    log = site.log()
    lines = [line for line in log.splitlines() if " /en/faq/" in line]
    assert any(re.search(r" GET /en/faq/ 200 \d+ [\d.]+ms cache=(miss|hit) view=faq:index$", line) for line in lines)
    missing = [line for line in lines if "/en/faq/no-such-page/" in line]
    # One line from the site, none from gunicorn (its access log is off).
    assert len(missing) == 1, missing
    assert re.search(r" GET /en/faq/no-such-page/ 404 \d+ [\d.]+ms cache=none view=", missing[0]), missing
    assert secret not in log
    assert "zhang" not in log
    assert "127.0.0.1 " not in "\n".join(lines)
