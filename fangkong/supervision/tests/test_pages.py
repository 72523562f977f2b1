"""The supervision pages: the inspector inspects and records findings, the unit reports the fix with a photo,
the inspector accepts it and sees the rate; outsiders get 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.reporting.models import Notification
from fangkong.supervision.models import Evidence, Inspection, RectificationItem, RectificationStatus
from fangkong.supervision.tests.helpers import make_inspector, open_item, photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def inspector(district):
    return make_inspector(district.county)


def test_inspect_a_checkpoint_report_the_fix_and_accept_it(
    district, inspector, cadre_a, client_for, django_capture_on_commit_callbacks
):
    ducha = client_for(inspector)
    assert ducha.get(reverse("supervision:inspection_create")).status_code == 200
    page = ducha.get(reverse("supervision:inspection_create") + "?kind=checkpoint")
    points = page.context["form"].fields["failed_points"].choices
    response = ducha.post(
        reverse("supervision:inspection_create") + "?kind=checkpoint",
        {
            "region": district.village_a.pk,
            "place_name": "王助镇东卡口",
            "inspected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "failed_points": [points[0][0], points[1][0]],
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.failed_points == [points[0][0], points[1][0]]
    url = reverse("supervision:inspection", kwargs={"inspection_uuid": inspection.uuid})
    with django_capture_on_commit_callbacks(execute=True):
        ducha.post(url, {"description": "值守人员脱岗", "kind": "immediate", "region": district.village_a.pk})
        ducha.post(
            url,
            {
                "description": "未逐人查验行程码",
                "kind": "deadline",
                "due_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
                "region": district.village_a.pk,
                "photos": [photo("a.png"), photo("b.png")],
            },
        )
    assert RectificationItem.objects.count() == 2
    item = RectificationItem.objects.get(kind="deadline")
    assert item.evidence.count() == 2
    assert Notification.objects.filter(user=cadre_a).count() == 2

    wangzhu = client_for(cadre_a)
    item_url = reverse("supervision:item", kwargs={"item_uuid": item.uuid})
    assert wangzhu.get(item_url).context["can_report"]
    with django_capture_on_commit_callbacks(execute=True):
        response = wangzhu.post(
            reverse("supervision:item_report", kwargs={"item_uuid": item.uuid}),
            {"note": "已安排专人逐人查验", "photos": [photo("fix.png")]},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.REPORTED
    assert Notification.objects.filter(user=inspector).count() == 1
    fix_photo = item.evidence.get(stage="fix")
    got = wangzhu.get(reverse("supervision:evidence", kwargs={"evidence_uuid": fix_photo.uuid}))
    assert got["Content-Type"] == "image/jpeg"
    assert b"".join(got.streaming_content)[:3] == b"\xff\xd8\xff"

    assert ducha.get(item_url).context["can_review"]
    ducha.post(reverse("supervision:item_accept", kwargs={"item_uuid": item.uuid}), {"note": "现场核实"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED
    table = ducha.get(reverse("supervision:home")).context["table"]
    assert (table.total.found, table.total.closed, table.total.rate) == (2, 1, 50.0)


def test_a_bad_photo_is_refused_with_a_message_and_nothing_stored(district, inspector, cadre_a, client_for):
    item = open_item(inspector, district.village_a, now=timezone.now())
    response = client_for(cadre_a).post(
        reverse("supervision:item_report", kwargs={"item_uuid": item.uuid}),
        {"note": "已整改", "photos": [photo("x.png", b"<script>alert(1)</script>", "image/png")]},
    )
    assert response.status_code == 200
    assert response.context["fix_form"].errors["photos"]
    assert not Evidence.objects.exists()
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN


def test_outsiders_get_404(district, inspector, cadre_b, grid_worker_a, client_for):
    item = open_item(inspector, district.village_a, now=timezone.now(), description="王助村的问题")
    for url in [
        reverse("supervision:item", kwargs={"item_uuid": item.uuid}),
        reverse("supervision:item_report", kwargs={"item_uuid": item.uuid}),
        reverse("supervision:item_accept", kwargs={"item_uuid": item.uuid}),
    ]:
        method = "get" if url.endswith("/") else "post"
        assert getattr(client_for(cadre_b), method)(url).status_code == 404
    home = client_for(cadre_b).get(reverse("supervision:home"))
    assert "王助村的问题" not in home.content.decode()
    # A grid worker holds no supervision permission at all.
    assert client_for(grid_worker_a).get(reverse("supervision:home")).status_code == 404
    # A cadre cannot inspect.
    assert client_for(cadre_b).get(reverse("supervision:inspection_create")).status_code == 404


def test_wrong_methods_are_refused(district, inspector, client_for):
    item = open_item(inspector, district.village_a, now=timezone.now())
    client = client_for(inspector)
    assert client.get(reverse("supervision:item_accept", kwargs={"item_uuid": item.uuid})).status_code == 405
    assert client.post(reverse("supervision:home")).status_code == 405


def test_the_home_page_query_count_does_not_grow_with_items(
    district, inspector, client_for, django_assert_max_num_queries
):
    for n in range(30):
        open_item(inspector, district.village_a if n % 2 else district.village_b, now=timezone.now())
    client = client_for(inspector)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:home"))
    assert len(response.context["page_obj"]) == 30


def test_a_unit_filter_of_another_township_is_404(district, inspector, cadre_a, client_for):
    client = client_for(cadre_a)
    assert client.get(reverse("supervision:home") + f"?unit={district.township_b.code}").status_code == 404
    assert client.get(reverse("supervision:home") + f"?unit={district.village_a.code}").status_code == 200
