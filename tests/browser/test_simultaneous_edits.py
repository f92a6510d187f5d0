"""Two editors press Save at the same moment, over real HTTP to gunicorn: one save wins, one is refused.

Runs against the deployed stack (several gunicorn workers, the real database: SQLite's write lock
or PostgreSQL's row lock), not the test client.
"""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request

import pytest

from tests.editorial.conftest import form_data
from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

SEED = "accidentally-put-money-on-card"
SECOND_EDITOR = "second-editor"


class Page:
    def __init__(self, status, body, url):
        self.status_code = status
        self.content = body
        self.url = url


class Session:
    """A browser-like HTTP session: cookies, CSRF token, no redirects followed."""

    def __init__(self, site):
        self.site = site
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.site.url(path), data=body, headers={"Accept-Language": "en"})
        if data is not None:
            request.add_header("Referer", self.site.url(path))
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.status, response.read(), path)
        except urllib.error.HTTPError as error:
            return Page(error.code, error.read(), path)

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def sign_in(self, username, password):
        self.request("/admin/login/")
        page = self.request(
            "/admin/login/",
            {"csrfmiddlewaretoken": self.csrf(), "username": username, "password": password, "next": "/admin/"},
        )
        assert page.status_code == 302, page.content[:300]
        return self


@pytest.mark.browser
def test_simultaneous_saves_never_lose_either_edit(site):
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('{SECOND_EDITOR}', password='{ADMIN_PASSWORD}', is_staff=True); "
        "u.groups.add(Group.objects.get(name='Publisher'))",
    )
    alice = Session(site).sign_in(ADMIN_USERNAME, ADMIN_PASSWORD)
    bob = Session(site).sign_in(SECOND_EDITOR, ADMIN_PASSWORD)
    listing = alice.request(f"/admin/faq/article/?q={SEED}").content.decode()
    change_url = re.search(r'href="(/admin/faq/article/\d+/change/)', listing).group(1)

    forms = {name: form_data(session.request(change_url)) for name, session in (("alice", alice), ("bob", bob))}
    assert forms["alice"]["seen_version"] == forms["bob"]["seen_version"]
    for name, form in forms.items():
        form["body_en"] = f"Saved by {name} at the same moment.\n" + form["body_en"]

    results = {}
    ready = threading.Barrier(2)

    def save(name, session):
        ready.wait()
        results[name] = session.request(change_url, forms[name])

    threads = [threading.Thread(target=save, args=item) for item in (("alice", alice), ("bob", bob))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(page.status_code for page in results.values())
    assert statuses == [200, 302], statuses
    winner = next(name for name, page in results.items() if page.status_code == 302)
    loser = next(name for name, page in results.items() if page.status_code == 200)
    refused = results[loser].content.decode()
    assert "editorial-conflict" in refused
    # The refused editor's text is still in the form, ready to merge.
    assert form_data(results[loser])["body_en"].startswith(f"Saved by {loser} at the same moment.")

    public = Session(site).request(f"/en/faq/{SEED}/").content.decode()
    assert f"Saved by {winner} at the same moment." in public
    assert f"Saved by {loser} at the same moment." not in public
