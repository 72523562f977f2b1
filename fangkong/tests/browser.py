"""Helpers of the browser tests: logging in, screenshots for a person to look at, a phone layout check."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1366, height=900)
SHOTS = Path(os.environ.get("FANGKONG_SHOTS", "/tmp/shots"))  # noqa: S108 - screenshots, never read back


def log_in(page: Page, base: str, username: str, password: str | None = None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or "pw-" + username)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_contain_text(username)


WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
}"""


def shot(page: Page, name: str) -> None:
    """A full-page screenshot under /tmp/shots for a person to look at; never asserted on."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_horizontal_overflow(page: Page) -> None:
    """On a phone, nothing should make the page scroll sideways."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 1:
        culprits = page.evaluate(WIDER_THAN_SCREEN)
        raise AssertionError(f"the page is {overflow}px wider than the screen: {culprits}")
