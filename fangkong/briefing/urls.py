"""Briefing pages under /briefings/."""

from __future__ import annotations

import datetime

from django.urls import URLPattern, path, register_converter

from fangkong.briefing import views
from fangkong.lib.dates import parse_day


class DayConverter:
    """`2021-08-05`; anything that is not a real date, or lies outside the span the system has data for
    (which would overflow the day before/after on the page), does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        day = parse_day(value)
        if day is None:
            raise ValueError(value)  # ValueError → no match → 404
        return day

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()


class FormatConverter:
    regex = r"docx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(DayConverter, "briefing_day")
register_converter(FormatConverter, "briefing_fmt")

app_name = "briefing"

urlpatterns: list[URLPattern] = [
    path("", views.briefing_list, name="list"),
    path("day/<briefing_day:day>/", views.briefing_day, name="day"),
    path("day/<briefing_day:day>/generate/", views.briefing_generate, name="generate"),
    path("day/<briefing_day:day>/next-steps/", views.briefing_next_steps, name="next_steps"),
    path("<uuid:briefing_uuid>/latest.<briefing_fmt:fmt>", views.download_latest, name="download_latest"),
    path("versions/<uuid:version_uuid>.<briefing_fmt:fmt>", views.download_version, name="download_version"),
]
