"""Renders the role × permission table of `permissions.py` as Markdown for docs/permissions.md."""

from __future__ import annotations

from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm, Role


def markdown_table() -> str:
    roles = list(Role)
    lines = ["| permission | " + " | ".join(r.value for r in roles) + " |", "|---|" + "---|" * len(roles)]
    for perm in Perm:
        marks = " | ".join("✓" if perm in ROLE_PERMISSIONS[r] else "" for r in roles)
        lines.append(f"| `{perm.value}` | {marks} |")
    return "\n".join(lines) + "\n"
