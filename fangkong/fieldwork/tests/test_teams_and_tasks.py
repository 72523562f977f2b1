"""Volunteer and party-member teams: tasks to a team or a member, done with a note; the volunteer role's reach."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_user
from fangkong.accounts.permissions import Perm, Role
from fangkong.fieldwork import figures, overview
from fangkong.fieldwork.access import my_tasks, places_for
from fangkong.fieldwork.actions import (
    StaleTask,
    do_add_member,
    do_assign_task,
    do_complete_task,
    do_create_team,
)
from fangkong.fieldwork.models import DisinfectionRecord, FieldTask, TaskStatus
from fangkong.fieldwork.tests.helpers import at, disinfection, make_village
from fangkong.reporting.sources import source_value


def test_the_volunteer_role_holds_only_their_own_tasks(district):
    volunteer = make_user("v", Role.VOLUNTEER, district.village_a)
    assert volunteer.has_role_perm(Perm.FIELD_TASKS)
    for perm in (
        Perm.PEOPLE_VIEW,
        Perm.REGIONS_VIEW,
        Perm.FIELDWORK_VIEW,
        Perm.DISINFECTION_RECORD,
        Perm.REPORT_VIEW,
    ):
        assert not volunteer.has_role_perm(perm)


def test_a_team_is_of_a_village_or_township(district):
    v = make_village(district, timezone.now())
    with pytest.raises(ValidationError):
        do_create_team(v.cadre, region=district.grid_a, kind="inquiry", name="网格队", now=timezone.now())
    with pytest.raises(ValidationError):  # outside the cadre's village
        do_create_team(v.cadre, region=district.village_b, kind="inquiry", name="新习队", now=timezone.now())


def test_the_volunteer_sees_and_completes_their_tasks_only(district, client_for):
    now = timezone.now()
    today = timezone.localdate()
    v = make_village(district, now)
    other = make_user("fw-other", Role.VOLUNTEER, district.village_a)
    other_member = do_add_member(v.cadre, v.team, user=other, now=now)
    mine = do_assign_task(
        v.cadre,
        v.team,
        kind="disinfection",
        title="",
        place=v.market,
        assignee=v.member,
        due_on=today,
        now=now,
    )
    theirs = do_assign_task(
        v.cadre, v.team, kind="inquiry", title="他人的问询任务", assignee=other_member, due_on=today, now=now
    )
    whole_team = do_assign_task(v.cadre, v.team, kind="inquiry", title="全队问询", due_on=today, now=now)
    assert set(my_tasks(v.volunteer)) == {mine, whole_team}
    client = client_for(v.volunteer)
    assert client.get(f"/field/tasks/{theirs.uuid}/").status_code == 404
    assert client.get("/field/").status_code == 404
    assert client.get(f"/field/places/{v.market.uuid}/").status_code == 404
    page = client.get("/field/tasks/").content.decode()
    assert "王助集贸市场" in page and "全队问询" in page and "他人的问询任务" not in page
    # A disinfection task is done with its disinfection recorded.
    response = client.post(
        f"/field/tasks/{mine.uuid}/",
        {
            "note": "已消杀",
            "version": mine.version,
            "d-area_m2": "900",
            "d-agent": "含氯消毒液",
            "d-concentration": "500 mg/L",
            "d-done_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == TaskStatus.DONE and mine.done_by == v.volunteer and mine.version == 2
    record = DisinfectionRecord.objects.get()
    assert record.area_m2 == 900 and record.recorded_by == v.volunteer
    assert client.post(f"/field/tasks/{theirs.uuid}/", {"note": "x"}).status_code == 404
    assert FieldTask.objects.get(pk=theirs.pk).status == TaskStatus.OPEN
    assert figures.tasks_done(district.county, today, timezone.now()) == 1
    # The market is no longer overdue, and the daily report's 消杀面积 reads the volunteer's 900 m².
    assert v.market.uuid not in {o.place.uuid for o in overview.overdue(places_for(v.cadre), today)}
    assert source_value("fieldwork.disinfection_area", district.township_a, today, timezone.now()) == 900


def test_a_stale_completion_is_refused_not_overwritten(district):
    now = at(datetime.date(2026, 11, 30), 9)
    v = make_village(district, now)
    task = do_assign_task(v.cadre, v.team, kind="inquiry", title="问询", due_on=now.date(), now=now)
    do_complete_task(v.cadre, task, note="村干部已完成", now=now)
    with pytest.raises(StaleTask) as exc:
        do_complete_task(v.volunteer, task, note="我也完成了", base_version=1, now=now)
    assert exc.value.current.note == "村干部已完成"
    assert FieldTask.objects.get(pk=task.pk).note == "村干部已完成"


def test_a_disinfection_task_needs_its_disinfection(district):
    now = timezone.now()
    v = make_village(district, now)
    task = do_assign_task(
        v.cadre,
        v.team,
        kind="disinfection",
        title="",
        place=v.market,
        assignee=v.member,
        due_on=timezone.localdate(),
        now=now,
    )
    with pytest.raises(ValidationError):
        do_complete_task(v.volunteer, task, note="done", now=now)
    do_complete_task(v.volunteer, task, note="done", now=now, disinfection=disinfection(now))
    assert DisinfectionRecord.objects.count() == 1


def test_the_cadre_creates_a_team_and_assigns_through_the_pages(district, client_for):
    v = make_village(district, timezone.now())
    client = client_for(v.cadre)
    response = client.post(
        "/field/teams/", {"region": district.village_a.pk, "kind": "convenience", "name": "便民服务队"}
    )
    assert response.status_code == 302
    team_url = response["Location"]
    assert (
        client.post(
            team_url, {"form": "member", "member-username": "fw-volunteer", "member-name": ""}
        ).status_code
        == 302
    )
    assert client.post(team_url, {"form": "member", "member-username": "nobody"}).status_code == 200
    response = client.post(
        team_url,
        {
            "form": "task",
            "task-kind": "inquiry",
            "task-title": "入户问询",
            "task-due_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert FieldTask.objects.filter(title="入户问询", team__name="便民服务队").exists()
    assert any(t.title == "入户问询" for t in my_tasks(v.volunteer))


def test_a_recurring_disinfection_comes_back_once_done_and_only_once(district, client_for):
    """The market's daily disinfection: assigned on the team page to repeat every day; done (even replayed from a
    phone), the next is due the day after; done late, the day after the day it was done; a one-off does not come back."""
    import json
    import uuid

    day = timezone.localdate()
    v = make_village(district, at(day, 7))
    client = client_for(v.cadre)
    refused = client.post(
        f"/field/teams/{v.team.uuid}/",
        {
            "form": "task",
            "task-kind": "disinfection",
            "task-place": v.market.pk,
            "task-due_on": day.isoformat(),
            "task-every_days": "0",
        },
    )
    assert refused.status_code == 200 and not FieldTask.objects.exists()
    response = client.post(
        f"/field/teams/{v.team.uuid}/",
        {
            "form": "task",
            "task-kind": "disinfection",
            "task-place": v.market.pk,
            "task-assignee": v.member.pk,
            "task-due_on": day.isoformat(),
            "task-every_days": "1",
        },
    )
    assert response.status_code == 302
    task = FieldTask.objects.get()
    assert task.every_days == 1 and "每天" in client.get(f"/field/teams/{v.team.uuid}/").content.decode()
    done = {
        "uuid": str(uuid.uuid4()),
        "kind": "task_done",
        "payload": {
            "task": str(task.uuid),
            "note": "市场已消杀",
            "area_m2": 1500,
            "agent": "含氯消毒液",
            "concentration": "500 mg/L",
        },
        "base_version": str(task.version),
    }
    phone = client_for(v.volunteer)
    for _ in range(2):  # sent twice: one completion, one next round
        answer = phone.post("/api/v1/field/submissions", json.dumps(done), content_type="application/json")
        assert answer.status_code in (200, 201)
    following = FieldTask.objects.get(status=TaskStatus.OPEN)
    assert following.due_on == day + datetime.timedelta(days=1)
    assert (following.place, following.assignee, following.every_days) == (v.market, v.member, 1)
    assert FieldTask.objects.count() == 2
    # Done three days late: the next one is due the day after it was done, not in the past.
    late = at(day + datetime.timedelta(days=4), 10)
    do_complete_task(v.volunteer, following, note="补做", now=late, disinfection=disinfection(late))
    assert FieldTask.objects.get(status=TaskStatus.OPEN).due_on == day + datetime.timedelta(days=5)
    # Made a one-off again: once done, it does not come back.
    last = FieldTask.objects.get(status=TaskStatus.OPEN)
    FieldTask.objects.filter(pk=last.pk).update(every_days=None)
    do_complete_task(v.volunteer, last, note="done", now=late, disinfection=disinfection(late))
    assert not FieldTask.objects.filter(status=TaskStatus.OPEN).exists()
