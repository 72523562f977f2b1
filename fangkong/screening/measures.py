"""The public face of control measures for other apps (push lists read these; they do not import models)."""

from __future__ import annotations

from fangkong.screening.models import ControlMeasure


def measure_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of the active control measures, in display order."""
    return [(m.code, m.name) for m in ControlMeasure.objects.filter(active=True)]


def measure_exists(code: str) -> bool:
    """Whether `code` names an active control measure."""
    return bool(code) and ControlMeasure.objects.filter(code=code, active=True).exists()


def measure_name(code: str) -> str:
    """The localized name of measure `code`, or the code itself when it is unknown."""
    measure = ControlMeasure.objects.filter(code=code).first()
    return measure.name if measure else code
