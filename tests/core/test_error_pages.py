"""The 500 page: in the site's look, in the visitor's language, without a traceback, and without the
database (a test that is not allowed to use the database fails on the first query)."""

import pytest
from django.test import Client

from tests.support.faulty_urls import BROKEN_PATH, FAILURE_MESSAGE

TEXT = {
    "zh-hans": ("抱歉，出了点问题", '<html lang="zh-Hans">'),
    "en": ("Sorry, something went wrong", '<html lang="en">'),
}


def get_broken_page(language):
    client = Client(raise_request_exception=False)
    return client.get(f"/{language}/{BROKEN_PATH}")


def assert_500_page(response, language):
    assert response.status_code == 500
    html = response.content.decode()
    heading, html_tag = TEXT[language]
    assert html_tag in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the site's look
    assert 'class="language-switcher"' in html
    other = "en" if language == "zh-hans" else "zh-hans"
    assert f'href="/{other}/{BROKEN_PATH}"' in html  # the same address in the other language
    assert 'name="robots" content="noindex"' in html
    assert "Traceback" not in html and FAILURE_MESSAGE not in html and "ZeroDivisionError" not in html
    assert response["Cache-Control"] == "no-store"


@pytest.mark.urls("tests.support.faulty_urls")
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_failing_page_gives_the_500_page_in_the_site_look(language):
    assert_500_page(get_broken_page(language), language)


@pytest.mark.urls("tests.support.faulty_urls")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_500_page_needs_no_database(language):
    # No django_db mark: any query while making the page raises, and the client would see it.
    assert_500_page(get_broken_page(language), language)


@pytest.mark.urls("tests.support.faulty_urls")
@pytest.mark.django_db
def test_the_500_is_logged_with_its_traceback(caplog):
    get_broken_page("en")
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert errors and errors[0].exc_info and errors[0].exc_info[0] is ZeroDivisionError
