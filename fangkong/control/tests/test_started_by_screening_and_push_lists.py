"""A classification (screening) and a push-item outcome "found and put under control" start an order."""

from __future__ import annotations

import datetime

import time_machine

from fangkong.control.models import ControlOrder, Reason, RetroTask
from fangkong.control.tests.helpers import at
from fangkong.screening.models import ReturneeReport, RiskLevel
from fangkong.screening.tests.helpers import publish, register, valid_id

D = datetime.date
TODAY = D(2021, 8, 3)


def test_a_returnee_from_a_high_risk_area_gets_the_centralized_protocol(district, grid_worker_a):
    publish("江苏省南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 7, 20))
    with time_machine.travel(at(TODAY), tick=False):
        report = register(district.grid_a, return_date=D(2021, 8, 2))
    order = ControlOrder.objects.get(person=report.person)
    assert order.reason == Reason.RETURNEE and order.protocol.code == "2021-14-7-7"
    assert order.start_day == D(2021, 8, 2) and order.grid_worker == grid_worker_a
    assert order.source_ref == f"returnee:{report.uuid}"


def test_no_control_needed_starts_nothing(district):
    with time_machine.travel(at(TODAY), tick=False):
        register(district.grid_a, return_date=D(2021, 8, 2))
    assert not ControlOrder.objects.exists()


def test_a_risk_area_published_later_finds_the_returnee_again(district, grid_worker_a, command_user):
    with time_machine.travel(at(TODAY), tick=False):
        report = register(district.grid_a, return_date=D(2021, 8, 2))
        old = register(district.grid_a, return_date=D(2021, 7, 1), document_number=valid_id(12), name="早回")
    assert report.proposed_measure is not None and report.proposed_measure.code == "none"
    with time_machine.travel(at(D(2021, 8, 4)), tick=False):
        publish("江苏省南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 8, 4), actor=command_user)
    report.refresh_from_db()
    assert report.proposed_measure is not None and report.proposed_measure.code == "centralized_isolation"
    order = ControlOrder.objects.get(person=report.person)
    assert order.start_day == D(2021, 8, 2)
    task = RetroTask.objects.get()
    assert task.person == report.person and task.grid_worker == grid_worker_a and task.order == order
    # Back 34 days before the area took effect: outside the 14-day lookback.
    assert not ControlOrder.objects.filter(person=old.person).exists()
    ReturneeReport.objects.get(pk=old.pk)


def test_a_low_risk_area_finds_nobody_again(district):
    with time_machine.travel(at(TODAY), tick=False):
        register(district.grid_a, return_date=D(2021, 8, 2))
        publish("江苏省南京市江宁区禄口街道", RiskLevel.LOW, TODAY)
    assert not RetroTask.objects.exists()


def test_a_push_item_found_and_put_under_control_starts_an_order(district, cadre_a, command_user, tmp_path):
    from fangkong.pushlists.actions import do_import_push_list, do_verify
    from fangkong.pushlists.tests.conftest import NOW, item, sample_rows, write_csv

    path = write_csv(tmp_path / "list.csv", sample_rows())
    with time_machine.travel(NOW, tick=False):
        batch = do_import_push_list(command_user, path, path.name, NOW, 24)
        pushed = item(batch, "张三")
        # An import creates no person (issue 11): the verification registers the one it finds, in a village.
        pushed = do_verify(
            cadre_a,
            pushed,
            outcome="new_found",
            measure_code="home_isolation",
            person_region=district.village_a,
            now=NOW,
        )
    order = ControlOrder.objects.get(person=pushed.person)
    assert order.reason == Reason.PUSH_LIST and order.protocol.code == "2021-7-7"
    assert order.start_day == D(2021, 8, 1) and order.source_ref == f"push:{pushed.uuid}"


def test_other_push_outcomes_start_nothing(district, cadre_a, command_user, tmp_path):
    from fangkong.pushlists.actions import do_import_push_list, do_verify
    from fangkong.pushlists.tests.conftest import NOW, item, sample_rows, write_csv

    path = write_csv(tmp_path / "list.csv", sample_rows())
    with time_machine.travel(NOW, tick=False):
        batch = do_import_push_list(command_user, path, path.name, NOW, 24)
        do_verify(
            cadre_a,
            item(batch, "张三"),
            outcome="already_screened",
            person_region=district.village_a,
            now=NOW,
        )
    assert not ControlOrder.objects.exists()
