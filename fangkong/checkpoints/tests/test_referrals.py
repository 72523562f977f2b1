"""A referral to a fever clinic is a closed loop: referred → received → closed with an outcome."""

from __future__ import annotations

from fangkong.checkpoints.models import Referral, ReferralStatus
from fangkong.checkpoints.public import open_referrals
from fangkong.checkpoints.tests.helpers import register, traveller


def refer(kakou, checkpoint):
    register(kakou, checkpoint, traveller(temperature="38.1", temperature_again="38.0", disposition="refer"))
    return Referral.objects.get()


def test_the_loop_closes_with_an_outcome(kakou, checkpoint, client_for):
    referral = refer(kakou, checkpoint)
    client = client_for(kakou)
    assert [r.uuid for r in open_referrals()] == [referral.uuid]
    client.post(f"/checkpoints/referrals/{referral.uuid}/advance", {"status": "closed", "outcome": ""})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED
    client.post(f"/checkpoints/referrals/{referral.uuid}/advance", {"status": "received"})
    client.post(
        f"/checkpoints/referrals/{referral.uuid}/advance", {"status": "closed", "outcome": "核酸阴性，已返家"}
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.closed_at and referral.received_at
    assert open_referrals() == []


def test_an_outsider_cannot_advance_a_referral(kakou, checkpoint, cadre_b, client_for):
    referral = refer(kakou, checkpoint)
    response = client_for(cadre_b).post(
        f"/checkpoints/referrals/{referral.uuid}/advance", {"status": "received"}
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_the_referral_list_shows_open_loops(kakou, checkpoint, client_for):
    refer(kakou, checkpoint)
    assert "38.1" in client_for(kakou).get("/checkpoints/referrals/").content.decode()
