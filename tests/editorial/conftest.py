"""Fixtures for the editorial admin tests: real users in the real Editor/Publisher groups.

django-axes checks every sign-in and needs the request: sign in through the login form
(`sign_in`), or with `client.force_login(user)`; `client.login()` works only as
`client.login(request=HttpRequest(), username=…, password=…)`.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inquiry.editorial.roles import EDITOR, PUBLISHER

PASSWORD = "a-long-test-password-42"
SEED = "accidentally-put-money-on-card"


def create_user(username, *, groups=(), superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def in_english(client):
    """The admin follows the browser's language (no URL prefix); these tests read its English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sign_in(client, username, password=PASSWORD):
    """Sign in through the admin's real login form (client.login() has no request for django-axes)."""
    in_english(client)
    response = client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    """Real sign-ins, with a cheap hash: PBKDF2's deliberate slowness would only slow the suite down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return create_user("erin-editor", groups=[EDITOR])


@pytest.fixture
def publisher(db):
    return create_user("pat-publisher", groups=[PUBLISHER])


@pytest.fixture
def superuser(db):
    return create_user("sam-admin", superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return in_english(client)


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return in_english(client)


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return in_english(client)


def form_data(response):
    """The POST data a browser would send from the admin change form in `response` (unchanged fields)."""
    from html.parser import HTMLParser

    class FormParser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.data = []
            self.in_form = False
            self.textarea = None
            self.select = None
            self.select_multiple = False
            self.option_value = None
            self.selected_seen = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("method", "").lower() == "post" and attrs.get("id", "").endswith("_form"):
                self.in_form = True
            if not self.in_form:
                return
            if tag == "input":
                kind = attrs.get("type", "text")
                name = attrs.get("name")
                if not name or kind in ("submit", "button", "image", "file"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in attrs:
                    return
                self.data.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
            elif tag == "textarea":
                self.textarea = [attrs.get("name"), ""]
            elif tag == "select":
                self.select = attrs.get("name")
                self.select_multiple = "multiple" in attrs
            elif tag == "option" and self.select and "selected" in attrs:
                self.data.append((self.select, attrs.get("value", "")))

        def handle_data(self, data):
            if self.textarea is not None:
                self.textarea[1] += data

        def handle_endtag(self, tag):
            if tag == "textarea" and self.textarea is not None:
                if self.textarea[0]:
                    # Browsers drop the single newline that follows <textarea>.
                    self.data.append((self.textarea[0], re.sub(r"^\r?\n", "", self.textarea[1])))
                self.textarea = None
            elif tag == "select":
                self.select = None
            elif tag == "form":
                self.in_form = False

    parser = FormParser()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}
