"""A scanner's crossing registration runs a pinned, small number of queries (issue 14's speed target): the
token is read once and written at most once a minute, the colours and the origin's risk level are held in the
process, the travellers are inserted in one statement and not read back, the day's counters move in one UPDATE."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.accounts.actions import do_create_token
from fangkong.accounts.models import ApiToken
from fangkong.checkpoints.models import CrossingDay, Referral

BODY: dict[str, Any] = {
    "kind": "vehicle",
    "plate": "豫J12345",
    "origin": "河南省郑州市金水区",
    "travellers": [
        {
            "name": "司机",
            "phone": "13900000000",
            "health_code": "green",
            "temperature": "36.5",
            "disposition": "pass",
        },
        {
            "name": "乘客",
            "phone": "13900000001",
            "health_code": "green",
            "temperature": "36.6",
            "disposition": "pass",
        },
    ],
}
# token; INSERT crossing; INSERT travellers; UPDATE day; INSERT audit (the staffed checkpoint is held: lookups.py).
QUERIES_PER_REGISTRATION = 5


def post(client, checkpoint, raw, body=BODY):
    return client.post(
        f"/api/v1/checkpoints/{checkpoint.uuid}/crossings",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_registration_runs_five_queries_and_no_token_write(kakou, checkpoint, client):
    _token, raw = do_create_token(kakou, name="扫码枪")
    assert post(client, checkpoint, raw).status_code == 201  # the day's row, the lookups, the token's use
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, checkpoint, raw)
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == QUERIES_PER_REGISTRATION, "\n".join(statements)
    assert not any("accounts_apitoken" in q and q.startswith("UPDATE") for q in statements)
    body = response.json()
    assert [t["name"] for t in body["travellers"]] == ["司机", "乘客"]
    assert CrossingDay.objects.get().people == 4 and CrossingDay.objects.get().vehicles == 2


def test_the_token_use_is_written_again_after_a_minute(kakou, checkpoint, client):
    token, raw = do_create_token(kakou, name="扫码枪")
    post(client, checkpoint, raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(seconds=61))
    post(client, checkpoint, raw)
    again = ApiToken.objects.get(pk=token.pk).last_used_at
    assert again is not None and again > first - datetime.timedelta(seconds=1)


def test_a_referral_adds_only_its_insert(kakou, checkpoint, client):
    """The checkpoint's own statements: what the apps listening to `referrals_made` do (control's order and
    transfer) is theirs, counted and tested there (control/tests/test_referrals_through_the_actions.py)."""
    from fangkong.checkpoints.signals import referrals_made

    listening = referrals_made.receivers
    referrals_made.receivers = []
    referrals_made.sender_receivers_cache.clear()
    try:
        _check_a_referral_adds_only_its_insert(kakou, checkpoint, client)
    finally:
        referrals_made.receivers = listening
        referrals_made.sender_receivers_cache.clear()


def _check_a_referral_adds_only_its_insert(kakou, checkpoint, client):
    _token, raw = do_create_token(kakou, name="扫码枪")
    post(client, checkpoint, raw)
    fever = {
        **BODY["travellers"][1],
        "temperature": "38.0",
        "temperature_again": "38.2",
        "disposition": "refer",
    }
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, checkpoint, raw, {**BODY, "travellers": [BODY["travellers"][0], fever]})
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == QUERIES_PER_REGISTRATION + 1, "\n".join(statements)
    assert Referral.objects.get().traveller.name == "乘客"
    assert timezone.now() - Referral.objects.get().referred_at < datetime.timedelta(minutes=1)


def test_staff_taken_off_the_checkpoint_are_refused_at_once(cadre_a, kakou, checkpoint, client):
    from fangkong.checkpoints.actions import do_update_checkpoint

    _token, raw = do_create_token(kakou, name="扫码枪")
    assert post(client, checkpoint, raw).status_code == 201  # the checkpoint is now held for kakou
    do_update_checkpoint(
        cadre_a, checkpoint, status="open", equipment=checkpoint.equipment, staff=[], now=timezone.now()
    )
    assert post(client, checkpoint, raw).status_code == 404


def test_a_checkpoint_closed_meanwhile_refuses_at_once(cadre_a, kakou, checkpoint, client):
    from fangkong.checkpoints.actions import do_update_checkpoint

    _token, raw = do_create_token(kakou, name="扫码枪")
    assert post(client, checkpoint, raw).status_code == 201
    do_update_checkpoint(
        cadre_a,
        checkpoint,
        status="closed",
        equipment=checkpoint.equipment,
        staff=[kakou],
        now=timezone.now(),
    )
    response = post(client, checkpoint, raw)
    assert response.status_code == 400 and "__all__" in response.json()["detail"]
