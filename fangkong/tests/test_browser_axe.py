"""Issue 19: every page found in the URL configuration, checked by axe-core (WCAG 2.1 A/AA rules) in Chromium —
as the command office on a desktop, as a grid worker on a 390×844 phone and anonymously where public. Any serious
or critical violation fails the test.

New pages are checked without editing this file: routes come from the resolver, path parameters are filled from
the records the apps' `tests/sweep.py` create (the same demo-like day the jurisdiction sweep uses), and a route is
checked with the first filling that the persona may open as an HTML page. axe-core is vendored under
`static/vendor/axe/` (see VERSIONS.md) and injected into the page, so no page has to ship it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.utils import timezone
from playwright.sync_api import Page, expect

from fangkong.accounts.models import User
from fangkong.regions.models import Region
from fangkong.tests.browser import log_in
from fangkong.tests.test_jurisdiction_sweep import domain_models, is_public, owned_by, walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_seeds"),
]

AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe" / "axe.min.js"
# Not pages a person reads: the API (JSON, and its Swagger page is a third-party bundle), the health probe, the
# language switch and log-out (POST only).
SKIPPED = re.compile(r"^(api/|healthz|i18n/|accounts/logout/)")
BLOCKING = {"serious", "critical"}
MAX_TRIES = 40

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n")[1]),
    count: v.nodes.length,
  }));
}"""


# Controls in the page's content smaller than 44×44 CSS px on a phone (WCAG 2.5.5). A radio or checkbox counts
# with its label (tapping the label ticks it); links inside running text are exempt, as WCAG exempts them.
SMALL_TARGETS = """() => {
  const controls = document.querySelectorAll(
    "main a[href], main button, main input:not([type=hidden]), main select, main textarea, main summary");
  const small = [];
  for (const el of controls) {
    if (!el.checkVisibility()) continue;
    if (el.tagName === "A" && el.closest("p, .form-text, .alert, .small, dd, li.list-inline-item")) continue;
    let box = el.getBoundingClientRect();
    if (el.type === "radio" || el.type === "checkbox") {
      const holder = el.closest(".form-check") || (el.labels && el.labels[0]);
      if (holder) box = holder.getBoundingClientRect();
    }
    if (box.height < 43.5 || box.width < 43.5) {
      small.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " +
        Math.round(box.width) + "×" + Math.round(box.height) + " " + (el.textContent || el.value || "").trim().slice(0, 20));
    }
  }
  return small;
}"""


def candidate_values(region: Region) -> list[tuple[str, str]]:
    """(model name, value) for every uuid and code inside `region`, then the Beijing day: the pool path
    parameters are filled from."""
    values: list[tuple[str, str]] = []
    for model in domain_models():
        fields = {f.name for f in model._meta.get_fields()}
        rows = (
            owned_by(model, region) if "region" in fields or model is Region else model._default_manager.all()
        )
        for field in ("uuid", "code"):
            if field in fields:
                name = model._meta.model_name or ""
                values += [(name, str(v)) for v in rows.values_list(field, flat=True)[:30]]
    values.append(("day", timezone.localdate().isoformat()))
    return values


def fillings(pattern: URLPattern, pool: list[tuple[str, str]]) -> Iterator[dict[str, str]]:
    """Ways to fill the pattern's parameters: values the converter accepts, those of a model named like the
    parameter first (`report_uuid` tries reports before other uuids)."""
    converters = getattr(pattern.pattern, "converters", {})
    choices = []
    for param, converter in converters.items():
        stem = param.removesuffix("_uuid").removesuffix("_code").replace("_", "")
        fitting = [(name, v) for name, v in pool if re.fullmatch(converter.regex, v)]
        fitting.sort(key=lambda nv: 0 if stem and (stem in nv[0] or nv[0] in stem) else 1)
        choices.append([v for _, v in fitting])
    for combo in itertools.islice(itertools.product(*choices), MAX_TRIES):
        yield dict(zip(converters, combo, strict=True))


def fill(route: str, values: dict[str, str]) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    return "/" + path


def pages_for(client: Client, pool: list[tuple[str, str]], *, public_only: bool = False) -> dict[str, str]:
    """route → the first URL of it that answers 200 with an HTML page for `client`."""
    found: dict[str, str] = {}
    for route, pattern in walk(get_resolver().url_patterns):
        if SKIPPED.match(route) or (public_only and not is_public(pattern)):
            continue
        for values in fillings(pattern, pool):
            url = fill(route, values)
            response = client.get(url)
            # htmx fragments (no <html>) are checked inside the page that loads them.
            if (
                response.status_code == 200
                and response["Content-Type"].startswith("text/html")
                and b"<html" in response.content
            ):
                found[route] = url
                break
    return found


def inject_axe(page: Page) -> None:
    """axe-core into the page as it is, Content-Security-Policy included: a <script> tag would be refused as
    inline script, so the source is evaluated through the browser's debugging protocol instead."""
    page.evaluate(AXE.read_text(encoding="utf-8"))


def axe_violations(page: Page, url: str) -> list[dict[str, Any]]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    inject_axe(page)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in BLOCKING]


def check(page: Page, base: str, urls: dict[str, str], who: str, *, phone: bool = False) -> list[str]:
    problems = []
    for url in urls.values():
        violations = axe_violations(page, base + url)
        if phone and (small := page.evaluate(SMALL_TARGETS)):
            problems.append(f"{who} {url}: {len(small)} controls under 44×44 px: {small[:6]}")
        for v in violations:
            nodes = "; ".join(v["nodes"])
            problems.append(f"{who} {url} [{v['impact']}] {v['id']} ×{v['count']}: {v['help']} — {nodes}")
    return problems


@pytest.fixture
def day_of_work(district, command_user, cadre_a, cadre_b, grid_worker_a, settings, tmp_path):
    """The jurisdiction sweep's records: every app's demo-like records in both townships."""
    from fangkong.people.tests.helpers import create_person
    from fangkong.tests.test_jurisdiction_sweep import populate_apps

    settings.MEDIA_ROOT = tmp_path
    create_person(district.grid_a, "甲镇人员")
    create_person(district.grid_b, "乙镇人员")
    populate_apps(district)
    return district


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    live_server, day_of_work, command_user, grid_worker_a, new_context
):
    base = live_server.url
    problems: list[str] = []
    assert AXE.exists()

    office_client = Client()
    office_client.force_login(command_user)
    office_urls = pages_for(office_client, candidate_values(day_of_work.county))
    assert len(office_urls) > 40, sorted(office_urls)
    office = new_context().new_page()
    log_in(office, base, "zhihuibu")
    problems += check(office, base, office_urls, "command office (desktop)")

    grid_client = Client()
    grid_client.force_login(User.objects.get(pk=grid_worker_a.pk))
    grid_urls = pages_for(grid_client, candidate_values(day_of_work.township_a))
    assert "screening/returnees/new" in grid_urls
    worker = new_context(phone=True).new_page()
    log_in(worker, base, "wangzhu-grid")
    problems += check(worker, base, grid_urls, "grid worker (phone)", phone=True)

    public_urls = pages_for(Client(), candidate_values(day_of_work.county), public_only=True)
    assert "screening/r/<str:village_code>/" in public_urls
    anonymous = new_context(phone=True).new_page()
    problems += check(anonymous, base, public_urls, "anonymous (phone)", phone=True)
    # A form after a failed submit: its errors and their references are checked too.
    anonymous.goto(base + public_urls["screening/r/<str:village_code>/"])
    anonymous.locator("main form[method=post] button[type=submit]").last.click()
    expect(anonymous.get_by_test_id("error-summary")).to_be_focused()
    inject_axe(anonymous)
    problems += [
        f"anonymous self-report after an empty submit: {v}"
        for v in anonymous.evaluate(RUN_AXE)
        if v["impact"] in BLOCKING
    ]

    assert not problems, "\n".join(problems)
