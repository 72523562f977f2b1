"""The OpenAPI schema is built once per path and language, not on every request (about 0.3 s each)."""

from __future__ import annotations

from unittest import mock

import ninja.main
from django.test import Client
from django.utils import translation

from fangkong.api import api


def test_the_schema_is_built_once_and_served_again(client: Client) -> None:
    api._schemas.clear()
    with mock.patch.object(ninja.main, "get_schema", wraps=ninja.main.get_schema) as build:
        first = client.get("/api/v1/openapi.json").json()
        again = client.get("/api/v1/openapi.json").json()
    assert build.call_count == 1
    assert first == again
    assert "/api/v1/people/" in again["paths"]


def test_each_language_has_its_own_schema() -> None:
    api._schemas.clear()
    with mock.patch.object(ninja.main, "get_schema", wraps=ninja.main.get_schema) as build:
        for language in ("zh-hans", "en", "zh-hans"):
            with translation.override(language):
                api.get_openapi_schema(path_prefix="/api/v1/")
    assert build.call_count == 2
