"""Browser fixtures shared by the Playwright tests in this package: Debian's Chromium, a Chinese locale and a
separate browser context per persona (desktop or a 390×844 phone). Helpers are in `browser.py`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from fangkong.tests.browser import DESKTOP, PHONE

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# An assertion waits as long as an action does (15 s, below), not Playwright's default 5 s: on CI's two busy cores
# the PostgreSQL suite failed once on an escalated urgent report opened from a leader's notification, which passed
# when run again alone. The assertions are unchanged; only how long they may wait.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "viewport": DESKTOP, "accept_downloads": True}


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Open a separate browser (own cookies) per persona: `new_context(phone=True)` is a 390×844 phone."""
    opened: list[BrowserContext] = []

    def make(*, phone: bool = False) -> BrowserContext:
        if phone:
            context = browser.new_context(
                viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, accept_downloads=True
            )
        else:
            context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight(timeout: float = 15.0, quiet: float = 1.5) -> None:
    """Let the live server finish the requests a page still had open (an htmx load, the bell, a service worker's
    fetch) before the test's database is flushed: the server's threads share the test's SQLite connection, and the
    flush meets a request's open statement as "database table is locked" (seen in CI at the teardown of the home
    page's tests, whose sections load by htmx). The server answers each connection in a thread of its own
    (socketserver's `process_request_thread`); a request the closed browser had already sent may still wait in the
    listening socket until the server's next poll (every 0.5 s), so the server must stay idle for `quiet` seconds."""
    import threading
    import time

    deadline = time.monotonic() + timeout
    idle_since = time.monotonic()
    while time.monotonic() < deadline:
        if any("process_request_thread" in t.name and t.is_alive() for t in threading.enumerate()):
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= quiet:
            return
        time.sleep(0.05)


@pytest.fixture
def migration_seeds(transactional_db: None) -> None:
    """The rows data migrations seed (the default report form, control measures and classification rules).

    The flush after each live-server test empties every table, and serialized_rollback does not bring them
    back once a live-server test has run, so the seeds are applied again when missing."""
    ensure_migration_seeds()


def ensure_migration_seeds() -> None:
    from importlib import import_module

    from django.apps import apps

    from fangkong.reporting.models import ReportForm
    from fangkong.screening.models import ControlMeasure

    if not ReportForm.objects.exists():
        import_module("fangkong.reporting.migrations.0002_default_daily_form").create_form(apps, None)
    if not ControlMeasure.objects.exists():
        import_module("fangkong.screening.migrations.0002_seed_measures_and_rules").seed(apps, None)
    # Vaccination and supplies (issue 15a): their data and the daily form's indicators pointed at their figures.
    vaccination = import_module("fangkong.vaccination.migrations.0002_seed_products_bands_groups")
    vaccination.seed(apps, None)
    vaccination.point_indicator(apps, None)
    supplies = import_module("fangkong.supplies.migrations.0002_seed_items_point_shortages")
    supplies.seed(apps, None)
    supplies.point_indicator(apps, None)
    from fangkong.control.models import Protocol

    if not Protocol.objects.exists():
        import_module("fangkong.control.migrations.0002_ship_protocols_2021_and_ninth_edition").ship(
            apps, None
        )
        import_module("fangkong.control.migrations.0003_daily_form_reads_control_figures").point(apps, None)
    # Checkpoints (issue 14): health code colours, and the daily form's checkpoint indicators read its figures.
    import_module("fangkong.checkpoints.migrations.0002_code_colours_and_report_sources").seed(apps, None)
    # Supervision, venues and publicity (issue 15, second half).
    from fangkong.supervision.models import Checklist
    from fangkong.venues.models import EventRule

    if not Checklist.objects.exists():
        import_module("fangkong.supervision.migrations.0002_default_checklists").create(apps, None)
    if not EventRule.objects.exists():
        import_module("fangkong.venues.migrations.0002_family_event_rules").create(apps, None)
    import_module("fangkong.publicity.migrations.0002_publicity_items_source").point(apps, None)
    from fangkong.notify.models import SmsTemplate
    from fangkong.testing.models import KeyGroup

    if not KeyGroup.objects.exists():
        import_module("fangkong.testing.migrations.0002_key_groups_and_report_sources").forwards(apps, None)
    if not SmsTemplate.objects.exists():
        import_module("fangkong.notify.migrations.0002_default_templates").forwards(apps, None)
    # Field work (issue 17): disinfection schedules, and 消杀面积 of the daily form reads the system's figure.
    import_module("fangkong.fieldwork.migrations.0002_schedules_and_daily_form").seed(apps, None)
