"""A figure that disagrees with the records is flagged (possible 瞒报) and opens accountability."""

from __future__ import annotations

from django.urls import reverse

from fangkong.reporting.models import AccountabilityReason, AccountabilityRecord

from .conftest import bj, file


def test_a_figure_below_the_records_is_flagged(district, cadre_a, client_for, verified_source):
    verified_source[district.township_a.code] = 12
    report = file(cadre_a, district.township_a, bj(9, 0), pushlist_verified=8)
    value = report.values.get(indicator__code="pushlist_verified")
    assert report.has_discrepancy
    assert (value.value, value.source_value, value.flagged) == (8, 12, True)
    record = AccountabilityRecord.objects.get(region=district.township_a)
    assert record.reason == AccountabilityReason.DISCREPANCY
    page = client_for(cadre_a).get(reverse("reporting:detail", args=[report.uuid])).content.decode()
    assert 'data-flagged="pushlist_verified"' in page


def test_a_figure_that_matches_the_records_is_not_flagged(district, cadre_a, verified_source):
    verified_source[district.township_a.code] = 8
    report = file(cadre_a, district.township_a, bj(9, 0), pushlist_verified=8)
    assert not report.has_discrepancy
    assert not AccountabilityRecord.objects.exists()


def test_a_failing_source_does_not_block_filing(district, cadre_a):
    from fangkong.reporting import sources

    def broken(region, day, at):
        raise RuntimeError("down")

    sources.register_source("test.broken", broken)
    try:
        assert sources.source_value("test.broken", district.township_a, bj(9).date(), bj(9)) is None
    finally:
        sources.unregister_source("test.broken")
