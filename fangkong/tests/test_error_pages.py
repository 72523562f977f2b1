"""Error pages: Chinese for people, JSON under /api/, and never Django's technical pages (the test client
runs with DEBUG off, as production and the demo do)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from fangkong.urls import urlpatterns as real_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *real_urlpatterns]
handler404 = "fangkong.errors.not_found"
handler500 = "fangkong.errors.server_error"


def test_an_unknown_page_is_a_chinese_404(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "返回首页" in body
    assert "Page not found" not in body and "urlpatterns" not in body.lower()


def test_an_unknown_api_path_is_json(db):
    response = Client().get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.urls("fangkong.tests.test_error_pages")
def test_a_server_error_is_a_chinese_500_page(db):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错" in body
    assert "Traceback" not in body and "RuntimeError" not in body


@pytest.mark.urls("fangkong.tests.test_error_pages")
def test_a_server_error_under_the_api_is_json(db):
    response = Client(raise_request_exception=False).get("/api/v1/boom/")

    assert response.status_code == 500
    assert "detail" in response.json()


def test_a_csrf_failure_is_a_chinese_403_page(db, command_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(command_user)

    response = client.post("/push-lists/upload/", {})

    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_the_demo_settings_run_with_debug_off(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    env.update({"FANGKONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fangkong.demo.settings"})
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.DEMO, s.PRODUCTION, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " 'localhost' in s.ALLOWED_HOSTS, s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "False",
        "True",
        "False",
        "False",
        "False",
        "True",
        "ProductionStaticFilesStorage",
    ]
