"""The 双报告 panel on a person's page (registered with people.panels from ScreeningConfig.ready())."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fangkong.people.models import Person
from fangkong.screening.access import reports_for
from fangkong.screening.models import Channel


def returnee_panel(request: HttpRequest, person: Person) -> SafeString | None:
    """The person's returnee reports and whether both channels exist; None when there are none."""
    reports = list(reports_for(request.user).filter(person=person))
    if not reports:
        return None
    channels = {r.channel for r in reports}
    html = render_to_string(
        "screening/partials/person_panel.html",
        {"reports": reports, "has_self": Channel.SELF in channels, "has_grid": Channel.GRID in channels},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
