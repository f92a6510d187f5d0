"""Tampered, stale and hostile addresses get a redirect or a 4xx page, never a 500."""

import pytest
from django.test import Client

from .flows import MAIN, SECOND

pytestmark = pytest.mark.usefixtures("shipped_content")

F = f"/en/guide/{MAIN}"
TEN_KB = "x" * 10_240


@pytest.fixture
def client():
    # A 500 must show up as a response to assert on, not as an exception in the test.
    return Client(raise_request_exception=False)


def follow(client, url, hops=4):
    response = client.get(url)
    for _ in range(hops):
        if response.status_code not in (301, 302):
            break
        response = client.get(response["Location"])
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "lands_on"),
    [
        (f"{F}/money-source/?foo=bar", f"{F}/money-source/"),  # unknown answer
        (f"{F}/money-source/?which-money=bank-account", f"{F}/money-source/"),  # another flow's answer
        (
            f"{F}/activated/?money-source=deposited-myself&money-source=not-sure",
            f"{F}/activated/?money-source=deposited-myself",
        ),
        (
            f"{F}/activated/?money-source=deposited-myself&where-seen=bank",
            f"{F}/activated/?money-source=deposited-myself",
        ),
        (f"{F}/where-you-look/?money-source=deposited-myself", f"{F}/activated/?money-source=deposited-myself"),
        (f"{F}/activated/?money-source=bogus", f"{F}/money-source/"),
        (f"{F}/activated/?money-source={TEN_KB}", f"{F}/money-source/"),
        (f"{F}/money-source/?{TEN_KB}={TEN_KB}", f"{F}/money-source/"),
        (f"{F}/money-source/?%ff%fe=%ff", f"{F}/money-source/"),
        (f"{F}/activated/?money-source=deposited-myself&%ff=%fe%80", f"{F}/activated/?money-source=deposited-myself"),
        (f"{F}/activated/?money-source=%ff%fe", f"{F}/money-source/"),
        (
            f"{F}/result/deposit-not-activated/?money-source=deposited-myself&activated=yes",
            f"{F}/where-you-look/?money-source=deposited-myself&activated=yes",
        ),
        (
            f"{F}/result/check-at-the-bank/?money-source=deposited-myself&activated=no",
            f"{F}/result/deposit-not-activated/?money-source=deposited-myself&activated=no",
        ),
        (f"{F}/result/deposit-not-activated/?junk=1", f"{F}/money-source/"),
        (f"/en/guide/{SECOND}/which-money/?money-source=deposited-myself", f"/en/guide/{SECOND}/which-money/"),
    ],
)
def test_tampered_answers_redirect_to_where_the_valid_ones_lead(client, url, lands_on):
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"] == lands_on
    assert follow(client, url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"{F}/money-source/?" + "&".join(f"k{i}=v" for i in range(1_200)),  # 10 kB of fields: Django refuses
        f"{F}/activated/answer/?money-source=deposited-myself&activated=maybe",  # not one of the choices
        f"{F}/activated/answer/?money-source=deposited-myself&activated=%ff",
        f"{F}/money-source/answer/?{TEN_KB}=1",
    ],
)
def test_bad_form_input_gets_a_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400, url
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/en/guide/no-such-guide/",
        "/en/guide/no-such-guide/money-source/",
        f"{F}/no-such-question/",
        f"{F}/result/no-such-outcome/?money-source=deposited-myself",
        f"{F}/result/no-such-outcome/",
        f"/en/guide/{SECOND}/money-source/",  # a question of another flow
        f"{F}/result/withdraw-now/",  # an outcome of another flow
        "/en/guide/%ff%fe/",
        f"{F}/%ff/",
        f"{F}/money-source/answer/extra/",
        f"{F}/result/",
    ],
)
def test_unknown_pages_get_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404, url
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_answers_to_a_different_question_than_the_form_redirect(client):
    # The form of "activated" sent, but the earlier answer was tampered with: start over where needed.
    response = client.get(f"{F}/activated/answer/?money-source=bogus&activated=no")
    assert (response.status_code, response["Location"]) == (302, f"{F}/money-source/")
    response = client.get(f"{F}/activated/answer/?activated=no")
    assert (response.status_code, response["Location"]) == (302, f"{F}/money-source/")


@pytest.mark.django_db
def test_a_flow_broken_after_publishing_gives_a_clear_404_not_a_500(client):
    from inquiry.guide.models import Choice, Question

    # An edit outside the admin (which would refuse it) makes a loop on the visitor's path.
    Choice.objects.filter(question__flow__slug=MAIN, question__slug="activated", slug="yes").update(
        next_question=Question.objects.get(flow__slug=MAIN, slug="money-source")
    )
    response = client.get(f"{F}/money-source/?money-source=deposited-myself&activated=yes")
    assert response.status_code == 404
    # Paths that avoid the loop still work.
    assert (
        client.get(f"{F}/result/deposit-not-activated/?money-source=deposited-myself&activated=no").status_code == 200
    )
