"""Every disposition of a traveller, and what each leaves behind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fangkong.checkpoints.models import CrossingDay, Referral, ReferralStatus
from fangkong.checkpoints.tests.helpers import register, traveller
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import valid_id


def test_a_green_car_with_three_passengers_passes_and_counts_four_people_and_a_vehicle(kakou, checkpoint):
    crossing = register(
        kakou,
        checkpoint,
        traveller(is_driver=True),
        traveller(name="李四"),
        traveller(name="王五"),
        traveller(name="赵六"),
    )
    assert crossing.kind == "vehicle" and crossing.travellers.count() == 4
    day = CrossingDay.objects.get(checkpoint=checkpoint)
    assert (day.people, day.vehicles, day.referrals, day.sent_to_grid) == (4, 1, 0, 0)


def test_pass_and_register_files_a_grid_returnee_report_in_screening(district, kakou, checkpoint):
    crossing = register(
        kakou,
        checkpoint,
        traveller(
            name="钱七",
            document_number=valid_id(31),
            health_code="yellow",
            trip_star=True,
            disposition="register",
        ),
        origin="江苏省南京市江宁区",
        destination_region=district.village_a,
    )
    t = crossing.travellers.get()
    report = ReturneeReport.objects.get(receipt_number=t.returnee_receipt)
    assert report.channel == Channel.GRID and report.person.document_number == valid_id(31)
    assert report.region == district.village_a and "南京市" in report.origin
    day = CrossingDay.objects.get(checkpoint=checkpoint)
    assert (day.sent_to_grid, day.yellow_codes) == (1, 1)


def test_register_without_a_destination_village_is_refused_and_nothing_is_stored(kakou, checkpoint):
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(document_number=valid_id(32), disposition="register"))
    assert "destination_region" in exc.value.message_dict
    assert not ReturneeReport.objects.exists() and not CrossingDay.objects.exists()


def test_a_febrile_traveller_is_referred_and_the_referral_opens_a_loop(kakou, checkpoint):
    crossing = register(
        kakou,
        checkpoint,
        traveller(temperature="37.9", temperature_again="37.8", disposition="refer", clinic="区人民医院"),
    )
    referral = Referral.objects.get()
    assert referral.traveller == crossing.travellers.get() and referral.status == ReferralStatus.REFERRED
    assert referral.clinic == "区人民医院" and referral.traveller.fever
    day = CrossingDay.objects.get(checkpoint=checkpoint)
    assert (day.fevers, day.referrals) == (1, 1)


def test_turn_back_counts_as_turned_back(kakou, checkpoint):
    register(kakou, checkpoint, traveller(disposition="turn_back"))
    assert CrossingDay.objects.get(checkpoint=checkpoint).turned_back == 1


def test_a_red_code_cannot_pass(kakou, checkpoint):
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(health_code="red", disposition="pass"))
    assert "travellers.0.disposition" in exc.value.message_dict


def test_an_unknown_colour_is_refused_but_a_local_colour_added_as_data_is_accepted(kakou, checkpoint):
    from fangkong.checkpoints.models import CodeColour

    with pytest.raises(ValidationError):
        register(kakou, checkpoint, traveller(health_code="purple"))
    CodeColour.objects.create(code="purple", name="紫码", severity=1, order=40)
    register(kakou, checkpoint, traveller(health_code="purple"))
    assert CrossingDay.objects.get(checkpoint=checkpoint).yellow_codes == 1


def test_a_traveller_needs_a_document_or_name_and_phone(kakou, checkpoint):
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(name="", phone=""))
    assert "travellers.0.document_number" in exc.value.message_dict


def test_a_vehicle_needs_a_plate_and_a_walker_is_alone(kakou, checkpoint):
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(), kind="vehicle", plate="")
    assert "plate" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register(kakou, checkpoint, traveller(), traveller(), kind="person")
    assert "travellers" in exc.value.message_dict
