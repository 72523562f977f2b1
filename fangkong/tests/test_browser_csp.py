"""The Content-Security-Policy breaks no page: Chromium walks every page linked from the command office's
home (two levels deep, a pushed list imported so the push-list pages have rows, the reporting-rate chart
drawn) and the API docs, on a desktop and a phone, and fails on any violation it reports."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from fangkong.pushlists.tests.conftest import NOW, sample_rows, write_csv
from fangkong.tests.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' line ' + e.lineNumber));"""
SKIP = re.compile(r"logout|export|download|errors|feedback|\.docx|\.pdf|\.xlsx|\.csv|i18n")


def _walk(page: Page, base: str, limit: int = 45) -> dict[str, list[str]]:
    violations: dict[str, list[str]] = {}
    queue, seen = ["/", "/reports/completeness/", "/api/v1/docs"], set[str]()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        if found := page.evaluate("window.__csp"):
            violations[url] = found
        if len(seen) > 12:  # two levels: the first pages' links, not every person's page
            continue
        for href in page.eval_on_selector_all("a[href]", "els => els.map((e) => e.getAttribute('href'))"):
            if href and href.startswith("/") and not SKIP.search(href):
                queue.append(href.split("#")[0])
    assert len(seen) > 20, seen
    return violations


@pytest.mark.parametrize("phone", [False, True])
def test_no_page_breaks_the_content_security_policy(
    live_server, new_context, command_user, district, tmp_path, phone, settings
):
    from fangkong.pushlists.actions import do_import_push_list

    settings.CSP_REPORT_ONLY = False
    do_import_push_list(command_user, write_csv(tmp_path / "l.csv", sample_rows()), "list", NOW)
    context = new_context(phone=phone)
    context.add_init_script(LISTEN)
    page = context.new_page()
    log_in(page, live_server.url, command_user.username)

    assert _walk(page, live_server.url) == {}
