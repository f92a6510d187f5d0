"""The feedback rate limit holds across server processes when the cache is shared (Redis).

Runs the site under gunicorn with two worker processes and posts from one client address more often
than the limit allows: whichever worker answers, the count is the same. Needs REDIS_URL (with the
local-memory cache each process counts alone, which is why production uses Redis)."""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from inquiry.feedback.ratelimit import DEFAULT_LIMIT
from tests.support.server import running_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site_behind_proxy():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: a cache shared by the server's processes")
    with running_site(extra_env={"SOCSEC_TRUSTED_PROXY_COUNT": "1"}, workers=2) as server:
        yield server


def post_feedback(server, path, address):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-For": address}
    with opener.open(urllib.request.Request(server.url(path), headers=headers), timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "helpful": "yes"}).encode()
    request = urllib.request.Request(server.url(path), data=data, headers={**headers, "Referer": server.url(path)})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def stored(server):
    code = "from inquiry.feedback.models import Feedback; print(Feedback.objects.count())"
    result = server.manage("shell", "-c", code)
    return int(result.stdout.strip().splitlines()[-1])


def test_limit_holds_across_worker_processes(site_behind_proxy):
    server = site_behind_proxy
    code = "from inquiry.faq.models import Article; print(Article.objects.published().first().pk)"
    pk = server.manage("shell", "-c", code)
    path = f"/en/feedback/faq/{pk.stdout.strip().splitlines()[-1]}/"
    before = stored(server)
    statuses = [post_feedback(server, path, "192.0.2.10") for _ in range(DEFAULT_LIMIT + 4)]
    assert statuses.count(200) == DEFAULT_LIMIT, statuses  # redirected to the thank-you page
    assert statuses[DEFAULT_LIMIT:] == [429] * 4
    assert stored(server) - before == DEFAULT_LIMIT
    # Another address still gets through.
    assert post_feedback(server, path, "192.0.2.11") == 200
