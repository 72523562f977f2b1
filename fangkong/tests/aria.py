"""Checks on rendered HTML that an assistive technology depends on: every id an aria attribute points at exists."""

from __future__ import annotations

import re

REFERENCE = re.compile(r'\saria-(?:describedby|labelledby|controls)="([^"]*)"')
ID = re.compile(r'\sid="([^"]+)"')


def unresolved_references(html: str) -> list[str]:
    """The ids named by aria-describedby / aria-labelledby / aria-controls that no element on the page has."""
    ids = set(ID.findall(html))
    return sorted({ref for refs in REFERENCE.findall(html) for ref in refs.split() if ref not in ids})


def error_summary(html: str) -> str:
    """The error summary block (role=alert, focused by app.js), or '' when the page has none."""
    match = re.search(r"<div[^>]*data-fk-error-summary[^>]*>.*?</div>", html, re.S)
    return match.group(0) if match else ""
