"""Extra sections on a person's page, contributed by domain apps (screening, control, testing …).

People is a foundation app and must not import domain apps, so they register a panel here from their
AppConfig.ready(); a panel returns rendered HTML (already jurisdiction-checked by the person view) or None.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from fangkong.people.models import Person

PersonPanel = Callable[[HttpRequest, Person], SafeString | None]
_panels: list[PersonPanel] = []


def register(panel: PersonPanel) -> PersonPanel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def render_panels(request: HttpRequest, person: Person) -> list[SafeString]:
    return [html for panel in _panels if (html := panel(request, person))]
