"""问责: explained by the unit, decided once by the command office; nothing can be deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fangkong.reporting.actions import do_deadline_sweep, do_decide
from fangkong.reporting.models import AccountabilityRecord, AccountabilityState

from .conftest import bj


@pytest.fixture
def record_b(district, cadre_b):
    do_deadline_sweep(bj(12, 0, 1))
    return AccountabilityRecord.objects.get(region=district.township_b)


def test_the_unit_explains(record_b, cadre_b, client_for):
    response = client_for(cadre_b).post(
        reverse("reporting:accountability_explain", args=[record_b.uuid]), {"explanation": "网络故障"}
    )
    record_b.refresh_from_db()
    assert response.status_code == 302
    assert record_b.state == AccountabilityState.EXPLAINED


def test_an_empty_explanation_is_refused(record_b, cadre_b, client_for):
    response = client_for(cadre_b).post(
        reverse("reporting:accountability_explain", args=[record_b.uuid]), {"explanation": " "}
    )
    assert response.status_code == 400


def test_a_cadre_cannot_decide(record_b, cadre_b, client_for):
    response = client_for(cadre_b).post(
        reverse("reporting:accountability_decide", args=[record_b.uuid]), {"decision": "no_action"}
    )
    assert response.status_code == 404


def test_an_unknown_decision_is_refused(record_b, command_user, client_for):
    response = client_for(command_user).post(
        reverse("reporting:accountability_decide", args=[record_b.uuid]), {"decision": "pardon"}
    )
    assert response.status_code == 400


def test_a_decision_is_final(record_b, command_user):
    do_decide(command_user, record_b, "warning", "", now=bj(13, 0))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_decide(command_user, record_b, "no_action", "", now=bj(14, 0))


def test_publishing_needs_a_decision(record_b, command_user, client_for):
    response = client_for(command_user).post(
        reverse("reporting:accountability_publish", args=[record_b.uuid]), {}
    )
    assert response.status_code == 400


def test_records_cannot_be_deleted(record_b):
    with pytest.raises(PermissionError):
        record_b.delete()
    with pytest.raises(PermissionError):
        AccountabilityRecord.objects.all().delete()


def test_an_outsider_gets_404(record_b, cadre_a, client_for):
    client = client_for(cadre_a)
    assert client.get(reverse("reporting:accountability_detail", args=[record_b.uuid])).status_code == 404
    assert (
        client.post(
            reverse("reporting:accountability_explain", args=[record_b.uuid]), {"explanation": "x"}
        ).status_code
        == 404
    )


def test_explain_rejects_get(record_b, cadre_b, client_for):
    assert (
        client_for(cadre_b).get(reverse("reporting:accountability_explain", args=[record_b.uuid])).status_code
        == 405
    )


def test_the_list_keeps_its_query_count(record_b, command_user, client_for, django_assert_max_num_queries):
    client = client_for(command_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:accountability")).status_code == 200
