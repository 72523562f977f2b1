"""QR codes drawn on the server as inline SVG, for pages people print and post (no image files, no scripts)."""

from __future__ import annotations

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, label: str) -> SafeString:
    """An `<svg>` QR code of `text` (error correction M, 4 px modules, the standard 4-module quiet zone on a
    white background so it scans even on a dark page) for a template to embed as is. It has a size and a
    viewBox, so CSS may scale it (e.g. to a fixed width on paper).

    `label` names the image for screen readers (role="img", aria-label) and as a tooltip (<title>); it is
    escaped here, and segno escapes the title it writes, so the result is safe whatever `text` and `label`
    hold: `text` is only encoded into the modules, never written out as markup."""
    svg = segno.make_qr(text, error="m").svg_inline(scale=4, border=4, unit="px", light="#fff", title=label)
    if not svg.startswith("<svg "):  # svg_inline writes neither an XML declaration nor a namespace
        raise ValueError(f"unexpected SVG from segno: {svg[:40]!r}")
    attributes = f'<svg role="img" aria-label="{escape(label)}" '
    return mark_safe(attributes + svg.removeprefix("<svg "))  # noqa: S308 - segno's markup, escaped label
