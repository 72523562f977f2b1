from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fangkong.accounts.models import User
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region


def test_the_demo_district_is_built_with_an_account_per_role(db):
    out = StringIO()
    call_command("load_demo", "--people-per-village", "3", stdout=out)
    assert Region.objects.filter(level=Level.TOWNSHIP).count() == 9  # 7 statistical + 华安办, 幸福办
    assert Region.objects.filter(name="华安办", is_local=True).exists()
    assert (
        Region.objects.filter(level=Level.GRID).count()
        == 3 * Region.objects.filter(level=Level.VILLAGE).count()
    )
    assert Person.objects.filter(name="张三", region__path__startswith="/410972/410972100/").exists()
    for username in ("zhihuibu", "wangzhu", "xinxi", "wangzhu-grid"):
        assert User.objects.get(username=username).check_password("fangkong-demo")
    assert "fangkong-demo" in out.getvalue()


def test_it_does_nothing_the_second_time_with_if_empty(db, settings):
    settings.DEBUG = True  # demo mode; the test runner forces DEBUG off
    call_command("load_demo", "--people-per-village", "1", stdout=StringIO())
    count = Person.objects.count()
    call_command("load_demo", "--if-empty", stdout=StringIO())
    assert Person.objects.count() == count


def test_if_empty_on_a_non_empty_production_database_does_nothing(db, settings):
    call_command("load_demo", "--people-per-village", "1", stdout=StringIO())
    count = Person.objects.count()
    settings.PRODUCTION = True
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)  # no CommandError: exit status 0
    assert Person.objects.count() == count
    assert "fangkong-demo" not in out.getvalue()


def test_it_refuses_an_empty_production_database_unless_forced(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="published password"):
        call_command("load_demo", "--if-empty", stdout=StringIO())
    assert not User.objects.exists()

    call_command("load_demo", "--force", "--people-per-village", "1", stdout=StringIO())
    assert User.objects.filter(username="zhihuibu").exists()


def test_without_if_empty_a_non_empty_database_is_refused(db):
    call_command("load_demo", "--people-per-village", "1", stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_day_has_work_in_every_module(db):
    from fangkong.duty.models import DutyShift
    from fangkong.reporting.models import AccountabilityRecord, DailyReport, UrgentReport
    from fangkong.screening.models import ReturneeReport, RiskArea

    call_command("load_demo", "--people-per-village", "2", stdout=StringIO())
    assert RiskArea.objects.filter(name="南京市江宁区禄口街道").exists()
    # Some returnees reported by themselves and by the grid worker: double report complete.
    assert (
        ReturneeReport.objects.filter(channel="self").exists()
        and ReturneeReport.objects.filter(channel="grid").exists()
    )
    assert DutyShift.objects.count() >= 4
    assert DailyReport.objects.count() > 100
    # Silent and late units of yesterday opened accountability records, and only those.
    reasons = set(AccountabilityRecord.objects.values_list("reason", flat=True))
    assert reasons and reasons <= {"late", "missing"}
    assert UrgentReport.objects.filter(acknowledged_at__isnull=True).count() == 1


def test_the_testing_staff_has_work_in_the_demo(db):
    from fangkong.notify.models import Message
    from fangkong.testing.models import Recall, TestingPoint, TestingRound, Tube

    call_command("load_demo", "--people-per-village", "6", stdout=StringIO())
    assert TestingPoint.objects.filter(region__name="王助镇", status="open").exists()
    assert TestingRound.objects.filter(region__name="王助镇").exists()
    assert Tube.objects.filter(status="open").exists()  # a pool still filling at the desk
    assert Tube.objects.filter(status="closed").exists()  # pools waiting for jiance's lab file
    assert Recall.objects.exists()  # the positive pool's members
    assert Message.objects.filter(status="delivered").exists()
