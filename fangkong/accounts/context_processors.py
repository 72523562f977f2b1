"""Template context shared by every page: the navigation the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.access import has_perm, jurisdiction
from fangkong.accounts.permissions import ROLE_PERMISSIONS, Perm, Role

# (url name, label, permission). Apps add their entry here when they add pages.
NAVIGATION: list[tuple[str, Any, Perm]] = [
    ("reporting:home", _("Daily reports"), Perm.REPORT_VIEW),
    ("screening:home", _("Screening"), Perm.SCREENING_VIEW),
    ("pushlists:list", _("Push lists"), Perm.SCREENING_VIEW),
    ("people:list", _("People"), Perm.PEOPLE_VIEW),
    ("duty:roster", _("Duty"), Perm.DUTY_VIEW),
    ("briefing:list", _("Briefings"), Perm.BRIEFING_VIEW),
    ("regions:tree", _("Regions and grids"), Perm.REGIONS_VIEW),
    ("accounts:users", _("Accounts"), Perm.USERS_MANAGE),
    ("audit:list", _("Audit log"), Perm.AUDIT_VIEW),
    ("vaccination:coverage", _("Vaccination"), Perm.VACCINATION_VIEW),
    ("supplies:home", _("Supplies"), Perm.SUPPLIES_VIEW),
    ("supervision:home", _("Supervision"), Perm.SUPERVISION_VIEW),
    ("venues:home", _("Venues"), Perm.VENUES_VIEW),
    ("venues:events", _("Family events"), Perm.EVENTS_REGISTER),
    ("publicity:home", _("Publicity"), Perm.PUBLICITY_RECORD),
    ("control:home", _("Control"), Perm.CONTROL_VIEW),
    ("testing:home", _("Testing"), Perm.TESTING_VIEW),
    ("notify:campaigns", _("SMS"), Perm.SMS_SEND),
    ("checkpoints:list", _("Checkpoints"), Perm.CHECKPOINT_VIEW),
    ("clinics:home", _("Medical surveillance"), Perm.CLINICS_VIEW),
    ("coldchain:overview", _("Cold chain"), Perm.COLDCHAIN_VIEW),
    ("fieldwork:home", _("Field work"), Perm.FIELDWORK_VIEW),
    ("fieldwork:my_tasks", _("My tasks"), Perm.FIELD_TASKS),
    ("retention:index", _("Data retention"), Perm.RETENTION_MANAGE),
]


# The top bar groups the entries by the app (URL namespace) they belong to, in this order; an entry whose app is in
# no group stands on its own after the groups. A group of one entry is a plain link.
NAV_GROUPS: list[tuple[Any, tuple[str, ...]]] = [
    (_("Command and duty"), ("reporting", "duty", "briefing")),
    (_("Screening"), ("screening", "pushlists", "people")),
    (_("Control and testing"), ("control", "testing", "notify")),
    (_("Checkpoints and clinics"), ("checkpoints", "clinics", "coldchain")),
    (_("Vaccination and supplies"), ("vaccination", "supplies")),
    (_("Supervision and venues"), ("supervision", "venues", "publicity")),
    (_("System"), ("regions", "accounts", "audit", "retention")),
]


def nav_groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries as the top bar shows them: [{"label", "items", "active"}] (one item: a plain link)."""
    grouped: list[dict[str, Any]] = []
    placed: set[int] = set()
    for label, apps in NAV_GROUPS:
        members = [i for i in items if i["app"] in apps]
        if members:
            placed.update(id(i) for i in members)
            grouped.append({"label": label, "items": members, "active": any(i["active"] for i in members)})
    for item in items:
        if id(item) not in placed:
            grouped.append({"label": item["label"], "items": [item], "active": item["active"]})
    return grouped


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # an app whose pages are not built yet
        return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items = []
    for name, label, perm in NAVIGATION:
        url = _url(name)
        if url and has_perm(user, perm):
            items.append(
                {
                    "url": url,
                    "label": label,
                    "active": request.path.startswith(url),
                    "app": name.split(":")[0],
                }
            )
    root = jurisdiction(user)
    # What the user may do, for templates that show a link only to those it works for (`"x.y" in user_perms`).
    role = getattr(user, "role", "") if root is not None else ""
    perms = ROLE_PERMISSIONS.get(Role(role), frozenset()) if role else frozenset()
    return {
        "nav_items": items,
        "nav_groups": nav_groups(items),
        "user_jurisdiction": root,
        "user_perms": perms,
    }
