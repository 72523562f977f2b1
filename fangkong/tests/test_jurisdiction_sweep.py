"""Every URL pattern and every API operation, called as a cadre of township A with the identifiers of
township B's records, must answer exactly as for a record that does not exist — and change nothing.

New apps are swept automatically: their URL patterns come from the resolver, and their records from
`fangkong/<app>/tests/sweep.py: populate(district)` (which creates records in both townships).
"""

from __future__ import annotations

import importlib
import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter

from fangkong.people.tests.helpers import create_person
from fangkong.regions.models import Region

SECRET_NAME = "乙镇保密人员"
METHODS = ["get", "post", "put", "patch", "delete"]


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def is_public(pattern: URLPattern) -> bool:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    return bool(getattr(callback, "fangkong_public", False) or getattr(view_class, "fangkong_public", False))


def domain_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("fangkong.")]


def populate_apps(district: Any) -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("fangkong."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.sweep")
        except ModuleNotFoundError:
            continue
        module.populate(district)


def owned_by(model: type[models.Model], region: Region) -> models.QuerySet[Any]:
    if model is Region:
        return Region.objects.filter(path__startswith=region.path)
    field_names = {f.name for f in model._meta.get_fields()}
    if "region" in field_names:
        return model._default_manager.filter(region__path__startswith=region.path)
    return model._default_manager.none()


def identifiers(region: Region) -> dict[str, set[str]]:
    """uuid values by model name (lower case), and region codes, of everything inside `region`."""
    found: dict[str, set[str]] = {}
    for model in domain_models():
        if any(f.name == "uuid" for f in model._meta.get_fields()):
            values = {str(v) for v in owned_by(model, region).values_list("uuid", flat=True)}
            if values:
                found[model._meta.model_name or ""] = values
    found["__codes__"] = set(
        Region.objects.filter(path__startswith=region.path).values_list("code", flat=True)
    )
    return found


def snapshot(region: Region) -> dict[str, list[str]]:
    return {
        model._meta.label: sorted(map(repr, owned_by(model, region).values())) for model in domain_models()
    }


def pool_for(param: str, converter: Any, ids: dict[str, set[str]]) -> list[str]:
    if not isinstance(converter, UUIDConverter) and not param.endswith("uuid"):
        return sorted(ids["__codes__"])
    stem = param.removesuffix("_uuid").replace("_", "")
    typed = [
        v for name, values in ids.items() if name != "__codes__" and stem and stem in name for v in values
    ]
    if typed:
        return sorted(typed)
    return sorted(v for name, values in ids.items() if name != "__codes__" for v in values)


def missing_value(param: str, converter: Any) -> str:
    if isinstance(converter, UUIDConverter) or param.endswith("uuid"):
        return str(uuid.UUID(int=12345))
    return "NOPE0000"


@pytest.fixture
def world(district, command_user, cadre_a, cadre_b, grid_worker_a, settings, tmp_path):
    from fangkong.tests.conftest import ensure_migration_seeds

    settings.MEDIA_ROOT = tmp_path
    ensure_migration_seeds()
    create_person(district.grid_a, "甲镇人员")
    create_person(district.grid_b, SECRET_NAME)
    populate_apps(district)
    return district


def _fill(route: str, values: dict[str, str]) -> str:
    path = route
    for name, value in values.items():
        path = path.replace(f"<uuid:{name}>", value).replace(f"<str:{name}>", value)
        path = path.replace(f"<slug:{name}>", value).replace(f"<{name}>", value)
    return "/" + path.lstrip("^").rstrip("$")


def sweep_targets(ids_b: dict[str, set[str]]) -> Iterator[tuple[str, str]]:
    """(url with township B identifiers, the same url with identifiers that exist nowhere)."""
    for route, pattern in walk(get_resolver().url_patterns):
        converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
        if not converters or is_public(pattern):
            continue
        pools = [pool_for(name, conv, ids_b) for name, conv in converters.items()]
        names = list(converters)
        missing = {name: missing_value(name, conv) for name, conv in converters.items()}
        for combo in itertools.islice(itertools.product(*pools), 200):
            yield _fill(route, dict(zip(names, combo, strict=True))), _fill(route, missing)


def test_no_record_of_another_township_can_be_read_or_changed(world, cadre_a, client_for):
    client = client_for(cadre_a)
    ids_b = identifiers(world.township_b)
    before = snapshot(world.township_b)
    failures = []
    checked = 0
    for url_b, url_missing in sweep_targets(ids_b):
        for method in METHODS:
            kwargs = {"content_type": "application/json", "data": "{}"} if method != "get" else {}
            got = getattr(client, method)(url_b, **kwargs)
            baseline = getattr(client, method)(url_missing, **kwargs)
            checked += 1
            if got.status_code < 400 or got.status_code != baseline.status_code:
                failures.append(
                    f"{method.upper()} {url_b} -> {got.status_code} (missing record: {baseline.status_code})"
                )
    assert checked > 0
    assert not failures, "\n".join(failures)
    assert snapshot(world.township_b) == before


def test_no_list_page_shows_another_townships_records(world, cadre_a, client_for):
    client = client_for(cadre_a)
    ids_b = identifiers(world.township_b)
    secrets = {v for name, values in ids_b.items() if name != "__codes__" for v in values} | {SECRET_NAME}
    leaks = []
    for route, pattern in walk(get_resolver().url_patterns):
        converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
        if converters or "openapi" in route or "docs" in route or "logout" in route or "setlang" in route:
            continue
        response = client.get("/" + route)
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8", errors="replace") if response.status_code == 200 else ""
        leaks += [f"/{route} shows {s}" for s in secrets if s in body]
    assert not leaks, "\n".join(leaks)


def test_anonymous_visitors_reach_nothing_but_public_pages(world, client):
    problems = []
    ids_b = identifiers(world.township_b)
    for route, pattern in walk(get_resolver().url_patterns):
        converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
        if is_public(pattern) or "openapi" in route or route.endswith("docs") or "setlang" in route:
            continue
        values = {
            name: (pool_for(name, conv, ids_b) or [missing_value(name, conv)])[0]
            for name, conv in converters.items()
        }
        url = _fill(route, values)
        response = client.get(url)
        if response.status_code not in (302, 401, 404, 405):
            problems.append(f"GET {url} -> {response.status_code}")
        elif response.status_code == 302 and "/accounts/login/" not in response["Location"]:
            problems.append(f"GET {url} redirects to {response['Location']}")
    assert not problems, "\n".join(problems)
