"""Two editors in two browsers edit the same article: the conflict page is a merge, and no word is lost.

Each editor has a browser context of their own (their own cookies and session), as two people at two desks.
"""

import re

import pytest

from tests.support.server import ADMIN_PASSWORD, ADMIN_USERNAME

from .conftest import ARTIFACTS, new_page, record_artifact

pytestmark = pytest.mark.browser

SEED = "accidentally-put-money-on-card"
COLLEAGUE = "merge-colleague"


def sign_in(page, site, username):
    page.goto(site.url("/admin/login/?next=/admin/faq/article/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/faq/article/")


def open_seed_article(page, site):
    page.goto(site.url(f"/admin/faq/article/?q={SEED}"))
    page.click("#result_list a[href*='/change/'] >> nth=0")
    page.wait_for_selector("textarea[name=body_en]")


def save(page):
    page.click("input[name=_save]")
    page.wait_for_load_state()


def words(text):
    return re.findall(r"\w+", text)


def test_two_editors_in_two_browsers_merge_and_lose_no_word(site, browser):
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.filter(username='{COLLEAGUE}').first() or "
        f"User.objects.create_user('{COLLEAGUE}', password='{ADMIN_PASSWORD}', is_staff=True); "
        "u.groups.add(Group.objects.get(name='Publisher'))",
    )
    alice_context, alice = new_page(browser, locale="en-GB")
    bob_context, bob = new_page(browser, locale="en-GB")
    try:
        sign_in(alice, site, ADMIN_USERNAME)
        sign_in(bob, site, COLLEAGUE)
        open_seed_article(alice, site)
        open_seed_article(bob, site)
        original_body = alice.input_value("textarea[name=body_en]")

        alice_line = "Alice adds this sentence about the service bank branch."
        bob_line = "Bob adds this sentence about bringing valid identity documents."
        alice_title = "What if I put money on my card by mistake (Alice)?"
        bob_short = "Bob's short answer: the money is safe in your financial account."
        alice.fill("textarea[name=body_en]", f"{alice_line}\n\n{original_body}")
        alice.fill("input[name=title_en]", alice_title)
        save(alice)
        assert alice.locator(".errornote").count() == 0

        bob.fill("textarea[name=body_en]", f"{bob_line}\n\n{original_body}")
        bob.fill("textarea[name=short_answer_en]", bob_short)
        save(bob)
        # The conflict page: the title only Alice changed is in Bob's form; the body both changed waits.
        assert bob.locator(".editorial-conflict").is_visible()
        merge = bob.locator(".editorial-merge")
        assert merge.is_visible()
        assert bob.input_value("input[name=title_en]") == alice_title
        assert bob.input_value("textarea[name=body_en]").startswith(bob_line)
        item = merge.locator(".editorial-merge-item")
        assert item.count() == 1
        assert alice_line in item.locator(".editorial-merge-text").nth(0).inner_text()
        assert bob_line in item.locator(".editorial-merge-text").nth(1).inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        bob.screenshot(path=str(record_artifact(ARTIFACTS / "admin-conflict-merge.png")), full_page=True)

        # The second click: refused, Alice's text stays live.
        save(bob)
        assert bob.locator(".editorial-merge").is_visible()
        assert bob.locator(".editorial-merge .errorlist").count() == 1
        public = bob_context.new_page()
        public.goto(site.url(f"/en/faq/{SEED}/"))
        text = public.locator("main").inner_text()
        assert alice_line in text and bob_line not in text

        # Bob combines the two in the field and keeps the field's text.
        bob.fill("textarea[name=body_en]", f"{bob_line}\n\n{alice_line}\n\n{original_body}")
        bob.check("input[name=merge__body_en][value=field]")
        save(bob)
        assert bob.locator(".editorial-merge").count() == 0
        assert bob.locator(".errornote").count() == 0

        public.goto(site.url(f"/en/faq/{SEED}/"))
        text = public.locator("main").inner_text()
        for line in (alice_line, bob_line, alice_title, bob_short):
            assert line in text, line
        # Every word either editor typed is on the page.
        page_words = set(words(text))
        lost = [
            word
            for line in (alice_line, bob_line, alice_title, bob_short)
            for word in words(line)
            if word not in page_words
        ]
        assert lost == []
    finally:
        alice_context.close()
        bob_context.close()
