"""The optional photo of a disinfection record and of a done task (issue 17): sent from the offline page as a data URL
or uploaded on the online pages, kept only as our own re-encoded JPEG (lib/photos.py: no EXIF), shown to the
unit's readers and to whoever recorded it, refused in Chinese when it is not a photo (nothing stored then)."""

from __future__ import annotations

import base64
import io
import json
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.fieldwork.actions import do_assign_task
from fangkong.fieldwork.models import DisinfectionRecord, FieldTask, Submission, TaskStatus
from fangkong.fieldwork.tests.helpers import make_village

URL = "/api/v1/field/submissions"


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # the camera's make: must not survive
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def data_url(content: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(content).decode()


def disinfection_from_phone(place: Any, photo: str) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "kind": "disinfection",
        "payload": {
            "place": str(place.uuid),
            "area_m2": 1500,
            "agent": "含氯消毒液",
            "concentration": "500 mg/L",
            "done_at": timezone.now().isoformat(),
            "photo": photo,
        },
        "base_version": None,
    }


def post(client: Any, data: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(data), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_disinfection_photo_from_the_phone_is_kept_re_encoded_and_shown_to_the_units_readers(
    district, client_for, grid_worker_a, cadre_a, cadre_b
):
    v = make_village(district, timezone.now())
    sent = jpeg()
    response = post(client_for(grid_worker_a), disinfection_from_phone(v.market, data_url(sent)))
    assert response.status_code == 201, response.content
    record = DisinfectionRecord.objects.get()
    kept = record.photo.read()
    assert kept[:3] == b"\xff\xd8\xff" and b"SecretCam" in sent and b"SecretCam" not in kept
    url = f"/field/photos/record/{record.uuid}/"
    for reader in (cadre_a, grid_worker_a, v.cadre):
        answer = client_for(reader).get(url)
        assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg", reader
        assert b"".join(answer.streaming_content) == kept
    assert client_for(cadre_b).get(url).status_code == 404
    assert url in client_for(v.cadre).get(f"/field/places/{v.market.uuid}/").content.decode()


def test_a_file_that_is_not_a_photo_is_refused_in_chinese_and_nothing_is_stored(
    district, client_for, grid_worker_a
):
    v = make_village(district, timezone.now())
    response = post(
        client_for(grid_worker_a), disinfection_from_phone(v.market, data_url(b"not a photo at all"))
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "photo" in detail and any("照片" in m for m in detail["photo"])
    not_a_data_url = post(client_for(grid_worker_a), disinfection_from_phone(v.market, "http://x/y.jpg"))
    assert not_a_data_url.status_code == 400
    assert not DisinfectionRecord.objects.exists() and not Submission.objects.exists()


def test_a_volunteer_completes_a_task_with_a_photo_on_the_task_page(district, client_for, cadre_b):
    now = timezone.now()
    v = make_village(district, now)
    task = do_assign_task(
        v.cadre,
        v.team,
        kind="other",
        title="给村口卡点送防疫物资",
        due_on=timezone.localdate(),
        assignee=v.member,
        now=now,
    )
    client = client_for(v.volunteer)
    page = client.get(f"/field/tasks/{task.uuid}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'capture="environment"' in page
    bad = client.post(
        f"/field/tasks/{task.uuid}/",
        {"note": "已送到", "version": task.version, "photo": SimpleUploadedFile("x.jpg", b"GIF89a....")},
    )
    assert bad.status_code == 200 and FieldTask.objects.get().status == TaskStatus.OPEN
    done = client.post(
        f"/field/tasks/{task.uuid}/",
        {
            "note": "已送到",
            "version": task.version,
            "photo": SimpleUploadedFile("x.jpg", jpeg(), content_type="image/jpeg"),
        },
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.photo.read()[:3] == b"\xff\xd8\xff"
    url = f"/field/photos/task/{task.uuid}/"
    assert client.get(url).status_code == 200
    assert client_for(v.cadre).get(url).status_code == 200
    assert client_for(cadre_b).get(url).status_code == 404


def test_a_disinfection_recorded_online_keeps_its_photo(district, client_for, grid_worker_a):
    v = make_village(district, timezone.now())
    response = client_for(grid_worker_a).post(
        f"/field/places/{v.market.uuid}/",
        {
            "area_m2": "600",
            "agent": "含氯消毒液",
            "concentration": "500 mg/L",
            "done_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "photo": SimpleUploadedFile("market.jpg", jpeg((2000, 1000)), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    record = DisinfectionRecord.objects.get()
    from PIL import Image

    assert Image.open(io.BytesIO(record.photo.read())).size == (2000, 1000)
