"""Every figure the daily form reads is registered explicitly by the app that publishes it, and a missing one
fails start-up (Django's system checks run before every management command, `serve` included)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from fangkong.reporting import sources


def test_every_expected_figure_is_registered():
    assert set(sources.registered()) >= sources.EXPECTED
    assert sources.check_expected_sources() == []


def test_the_default_form_reads_only_expected_figures(db):
    from fangkong.reporting.models import Indicator

    named = set(Indicator.objects.exclude(source="").values_list("source", flat=True))
    assert named and named <= sources.EXPECTED


def test_a_missing_figure_fails_start_up():
    saved = sources._SOURCES.pop("pushlists.items_overdue")
    try:
        errors = sources.check_expected_sources()
        assert [e.id for e in errors] == ["reporting.E001"]
        assert "pushlists.items_overdue" in errors[0].msg
        with pytest.raises(SystemCheckError, match=r"pushlists\.items_overdue"):
            call_command("check")
    finally:
        sources.register_source("pushlists.items_overdue", saved)
