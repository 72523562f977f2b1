"""A scanner's sample registration runs a pinned, small number of statements (issue 13's speed target)."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.accounts.actions import do_create_token
from fangkong.testing.models import Tube, TubeStatus

# token; point; round; person; tube (locked); person in this tube or in the round; INSERT member;
# UPSERT the round's tested counter (RoundTested, read by the coverage page); UPSERT the unit's samples of the day
# (SampleDay, read by the daily report, the home page and the dashboard); UPDATE tube (count, and status when
# full); INSERT audit.
QUERIES_PER_SAMPLE = 11


def _post(client, raw, body):
    return client.post(
        "/api/v1/testing/samples",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def _statements(ctx):
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_a_sample_into_an_open_pool_runs_a_pinned_number_of_statements(client, collector, point, rnd, people):
    _token, raw = do_create_token(collector, name="扫码枪")
    body = {"point": str(point.uuid), "round": str(rnd.uuid), "capacity": 5, "barcode": "P0001"}
    assert _post(client, raw, {**body, "id_number": people[0].document_number}).status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, raw, {**body, "id_number": people[1].document_number})
    assert response.status_code == 201, response.content
    statements = _statements(ctx)
    assert len(statements) == QUERIES_PER_SAMPLE, "\n".join(statements)
    assert response.json()["position"] == 2
    tube = Tube.objects.get(barcode="P0001")
    assert tube.member_count == 2 and tube.status == TubeStatus.OPEN


def test_the_last_person_closes_the_pool_and_counts_stay_right(client, collector, point, rnd, people):
    _token, raw = do_create_token(collector, name="扫码枪")
    body = {"point": str(point.uuid), "round": str(rnd.uuid), "capacity": 5, "barcode": "P0002"}
    for n in range(5):
        response = _post(client, raw, {**body, "id_number": people[n].document_number})
        assert response.status_code == 201, response.content
        assert response.json()["position"] == n + 1
    assert response.json()["tube_status"] == "closed"
    tube = Tube.objects.get(barcode="P0002")
    assert tube.member_count == 5 and tube.status == TubeStatus.CLOSED and tube.closed_at is not None
    refused = _post(client, raw, {**body, "id_number": people[5].document_number})
    assert refused.status_code == 400 and "barcode" in refused.json()["detail"]
    again = _post(client, raw, {**body, "barcode": "P0003", "id_number": people[0].document_number})
    assert again.status_code == 400 and "id_number" in again.json()["detail"]
