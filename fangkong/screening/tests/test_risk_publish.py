import datetime
from collections.abc import Callable
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.audit.models import AuditEvent
from fangkong.screening.actions import parse_risk_list
from fangkong.screening.models import RiskArea, RiskLevel

D = datetime.date


def test_it_parses_levels_before_after_and_above_names() -> None:
    rows = parse_risk_list(
        "高风险 南京市江宁区禄口街道\n郑州市二七区,中\n\n低风险地区：\n扬州市广陵区某街道\n"
    )
    assert [(r.name, r.level) for r in rows] == [
        ("南京市江宁区禄口街道", RiskLevel.HIGH),
        ("郑州市二七区", RiskLevel.MEDIUM),
        ("扬州市广陵区某街道", RiskLevel.LOW),
    ]


def test_it_rejects_a_line_without_level() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_risk_list("南京市江宁区禄口街道")


def test_the_command_office_pastes_a_list(command_user: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(command_user).post(
        reverse("screening:risk_areas_paste"),
        {
            "text": "高风险 南京市江宁区禄口街道\n中风险 郑州市二七区",
            "effective_from": "2021-07-21",
            "source": "国务院",
        },
    )
    assert response.status_code == 302
    assert RiskArea.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="screening.riskarea").count() == 2


def test_a_new_level_lifts_the_old_row_and_keeps_history(command_user: User) -> None:
    from fangkong.screening.tests.helpers import publish

    publish("郑州市二七区", RiskLevel.MEDIUM, D(2021, 7, 21))
    publish("郑州市二七区", RiskLevel.MEDIUM, D(2021, 7, 25))
    assert RiskArea.objects.count() == 1
    publish("郑州市二七区", RiskLevel.HIGH, D(2021, 7, 30))
    old, new = RiskArea.objects.order_by("effective_from")
    assert (old.level, old.lifted_on) == (RiskLevel.MEDIUM, D(2021, 7, 30))
    assert (new.level, new.lifted_on) == (RiskLevel.HIGH, None)


def test_the_command_office_imports_an_xlsx_file(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["地区", "风险等级", "生效日期"])
    sheet.append(["南京市江宁区禄口街道", "高风险", "2021-07-21"])
    sheet.append(["扬州市邗江区", "中", None])
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("list.xlsx", buffer.getvalue())
    response = client_for(command_user).post(
        reverse("screening:risk_areas_import"), {"file": upload, "effective_from": "2021-07-28"}
    )
    assert response.status_code == 302
    assert dict(RiskArea.objects.values_list("name", "effective_from")) == {
        "南京市江宁区禄口街道": D(2021, 7, 21),
        "扬州市邗江区": D(2021, 7, 28),
    }


def test_an_import_without_the_level_column_is_refused(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    upload = SimpleUploadedFile("list.csv", "地区\n南京市\n".encode())
    response = client_for(command_user).post(
        reverse("screening:risk_areas_import"), {"file": upload, "effective_from": "2021-07-28"}
    )
    assert response.status_code == 400
    assert not RiskArea.objects.exists()


def test_a_cadre_cannot_publish_or_lift(cadre_a: User, client_for: Callable[[User], Client]) -> None:
    from fangkong.screening.tests.helpers import publish

    publish("南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 7, 21))
    area = RiskArea.objects.get()
    client = client_for(cadre_a)
    assert (
        client.post(
            reverse("screening:risk_areas_paste"), {"text": "高 南京市", "effective_from": "2021-07-21"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("screening:risk_area_lift", args=[area.uuid]), {"lifted_on": "2021-08-01"}
        ).status_code
        == 404
    )
    area.refresh_from_db()
    assert area.lifted_on is None


def test_lifting_sets_the_date_and_rejects_a_wrong_method(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    from fangkong.screening.tests.helpers import publish

    publish("南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 7, 21))
    area = RiskArea.objects.get()
    client = client_for(command_user)
    url = reverse("screening:risk_area_lift", args=[area.uuid])
    assert client.get(url).status_code == 405
    assert client.post(url, {"lifted_on": "2021-08-20"}).status_code == 302
    area.refresh_from_db()
    assert area.lifted_on == D(2021, 8, 20)


def test_the_risk_area_page_answers_a_lookup(cadre_a: User, client_for: Callable[[User], Client]) -> None:
    from fangkong.screening.tests.helpers import publish

    publish("南京市江宁区禄口街道", RiskLevel.HIGH, D(2021, 7, 21))
    response = client_for(cadre_a).get(
        reverse("screening:risk_areas"),
        {"place": "江苏省南京市江宁区禄口街道", "day": "2021-07-22", "show": "all"},
    )
    assert response.status_code == 200
    assert response.context["lookup"]["level"] == RiskLevel.HIGH
