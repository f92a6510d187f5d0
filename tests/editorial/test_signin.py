"""Lockout after repeated failed sign-ins, a clear page, an unlock command; idle sessions end."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from .conftest import PASSWORD, create_user, in_english

LOGIN = "/admin/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.django_db
def test_lockout_after_repeated_failures_then_unlock_command(capsys):
    create_user("erin", groups=["Editor"])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "erin", "wrong password")
        assert response.status_code == 200  # the login form again, with its error
    response = attempt(client, "erin", "wrong password")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'class="site-header"' in html  # the site's own look
    assert "unlock_admin erin" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html

    # Locked: even the right password is refused, from anywhere.
    assert attempt(Client(REMOTE_ADDR="10.9.8.7"), "erin", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="erin").exists()

    call_command("unlock_admin", "erin")
    assert "Unlocked erin" in capsys.readouterr().out
    assert not AccessAttempt.objects.filter(username="erin").exists()
    response = attempt(client, "erin", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_success_before_the_limit_clears_the_count():
    create_user("erin", groups=["Editor"])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "erin", "wrong password")
    assert attempt(client, "erin", PASSWORD).status_code == 302
    client.post("/admin/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "erin", "wrong password").status_code == 200
    assert attempt(client, "erin", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unlock_command_needs_a_username(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("unlock_admin")
    call_command("unlock_admin", "nobody")
    assert "was not locked out" in capsys.readouterr().out
    call_command("unlock_admin", "--all")


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


@pytest.mark.django_db
def test_each_request_extends_the_session(editor_client):
    first = editor_client.get("/admin/")
    assert first.status_code == 200
    assert settings.SESSION_COOKIE_NAME in first.cookies  # sent again: the idle clock restarts
    assert int(first.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_weak_passwords_are_refused(superuser, client):
    user = create_user("new-editor", groups=["Editor"])
    for weak in ("password123", "12345678901", "new-editor1", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    in_english(client).force_login(superuser)
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "password123", "password2": "password123", "usable_password": "true"},
    )
    assert response.status_code == 200  # refused with the validators' messages
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_lockout_page_speaks_chinese_to_a_chinese_browser():
    create_user("erin", groups=["Editor"])
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "erin", "wrong password")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "这个账号的登录已被锁定" in html and "30 分钟" in html
