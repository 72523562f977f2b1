"""The risk-area import reads uploads through the same guarded reader as the push lists: a hostile workbook
is a form error in Chinese, never a dead web worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.lib.tests import hostile_xlsx as hx
from fangkong.screening.models import RiskArea


def _post(client: Client, name: str, content: bytes) -> str:
    response = client.post(
        reverse("screening:risk_areas_import"),
        {"file": SimpleUploadedFile(name, content), "effective_from": "2021-07-28"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert not RiskArea.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (hx.dimension_bomb, "列"),  # the declared 16384 columns
        (hx.sparse_bomb, "内存"),  # the reader's memory limit
        (hx.dense_bomb, "拒绝"),  # the compression ratio
    ],
)
def test_a_hostile_workbook_is_a_form_error(
    build: Callable[[Path], Path],
    message: str,
    command_user: User,
    client_for: Callable[[User], Client],
    tmp_path: Path,
) -> None:
    content = build(tmp_path / "bomb.xlsx").read_bytes()

    page = _post(client_for(command_user), "areas.xlsx", content)

    assert message in page


def test_nul_characters_are_refused(command_user: User, client_for: Callable[[User], Client]) -> None:
    page = _post(client_for(command_user), "areas.csv", "地区,风险等级\n南京\x00市,高\n".encode())

    assert "NUL" in page
