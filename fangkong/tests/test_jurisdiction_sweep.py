"""Every URL pattern and every API operation, called as a cadre of township A with the identifiers of
township B's records, must answer exactly as for a record that does not exist — and change nothing.

New apps are swept automatically: their URL patterns come from the resolver, and their records from
`fangkong/<app>/tests/sweep.py: populate(district)` (which creates records in both townships). Query
parameters that name a unit or a record (`?unit=`, `?region=`, `?person=` …) are swept too, and records
without a region of their own (attachments, notifications, household visits …) belong to a township through
the lookup in OWNER_PATHS; a new model with a public uuid must be placed there or in SHARED.
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


# Records without a `region` of their own, and the lookup to the region that holds them.
OWNER_PATHS = {
    "accounts.ApiToken": "user__region",
    "screening.HouseholdVisit": "household__region",
    "pushlists.PushErrorRow": "batch__region",
    "reporting.ReportValue": "report__region",
    "reporting.ReportRevision": "report__region",
    "reporting.UrgentAttachment": "report__region",
    "reporting.Notification": "user__region",
    "vaccination.VaccinationRecord": "person__region",
    "vaccination.MobilisationNote": "person__region",
    "vaccination.KeyGroupMember": "person__region",
    "supplies.Stock": "warehouse__region",
    "supplies.Lot": "stock__warehouse__region",
    "supplies.Movement": "stock__warehouse__region",
    "supervision.Evidence": "item__region",
    "control.DueTest": "order__region",
    "control.Room": "site__region",
    "testing.TubeMember": "tube__region",
    "notify.Message": "person__region",
    "checkpoints.Traveller": "crossing__region",
    "checkpoints.SpotCheckPhoto": "spot_check__region",
    "fieldwork.TeamMember": "team__region",
}
# District-wide records that every signed-in user may read: no township owns them.
SHARED = {
    # District-wide retention policy data, read only by the command office of a whole county (retention/views.py).
    "retention.Outbreak",
    "retention.RetentionRun",
    "screening.RiskArea",
    "screening.ControlMeasure",
    "screening.ClassificationRule",
    "reporting.ReportForm",
    "reporting.Indicator",
    "reporting.SweepRun",
    "fangkong.PeriodicClaim",  # the job consumers' own bookkeeping: no person, no unit, no page
    "briefing.BriefingVersion",
    "vaccination.VaccineProduct",
    "vaccination.AgeBand",
    "vaccination.KeyGroup",
    # A job's bookkeeping of when the day's coverage was counted; the counts themselves (CoverageCount) have a unit.
    "vaccination.CoverageRun",
    "supplies.SupplyItem",
    "supervision.Checklist",
    "venues.EventRule",
    "control.Protocol",
    "control.ProtocolStage",
    "control.Trigger",
    "control.ControlSettings",
    "testing.KeyGroup",
    "notify.SmsTemplate",
    "checkpoints.CodeColour",
    "fieldwork.DisinfectionSchedule",
}


def owned_by(model: type[models.Model], region: Region) -> models.QuerySet[Any]:
    if model is Region:
        return Region.objects.filter(path__startswith=region.path)
    field_names = {f.name for f in model._meta.get_fields()}
    if "region" in field_names:
        return model._default_manager.filter(region__path__startswith=region.path)
    if model._meta.label in OWNER_PATHS:
        return model._default_manager.filter(
            **{f"{OWNER_PATHS[model._meta.label]}__path__startswith": region.path}
        )
    return model._default_manager.none()


def test_every_model_is_owned_by_a_unit_or_shared() -> None:
    """A new model without a region field must say who holds it, or it escapes the sweep unnoticed."""
    unplaced = [
        model._meta.label
        for model in domain_models()
        if model is not Region
        and "region" not in {f.name for f in model._meta.get_fields()}
        and model._meta.label not in OWNER_PATHS
        and model._meta.label not in SHARED
    ]
    assert not unplaced, f"add to OWNER_PATHS or SHARED: {unplaced}"


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


# Query parameters that pick a unit, and those that pick a record by uuid (model name stem → parameter).
UNIT_PARAMS = ["unit", "region", "village", "grid", "township", "place", "region_code"]
RECORD_PARAMS = {"person": "person", "household": "household", "batch": "pushbatch", "report": "dailyreport"}
RECORD_PARAMS |= {
    "facility": "facility",
    "enterprise": "enterprise",
}  # issue 14: clinics and cold-chain read APIs


def list_routes() -> Iterator[str]:
    for route, pattern in walk(get_resolver().url_patterns):
        converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
        if converters or is_public(pattern):
            continue
        if any(word in route for word in ("openapi", "docs", "logout", "setlang", "healthz")):
            continue
        yield "/" + route.lstrip("^").rstrip("$")


def test_no_query_parameter_reaches_another_townships_records(world, cadre_a, client_for):
    """`?unit=<B>`, `?person=<B's uuid>` … answer as for a unit or record that does not exist, and show
    nothing of township B's records beyond what the request itself typed."""
    client = client_for(cadre_a)
    ids_b = identifiers(world.township_b)
    secrets = {v for name, values in ids_b.items() if name != "__codes__" for v in values} | {SECRET_NAME}
    codes_b = [world.township_b.code, world.village_b.code, world.grid_b.code]
    records_b = {
        param: sorted(ids_b.get(stem, {str(uuid.UUID(int=1))}))[0] for param, stem in RECORD_PARAMS.items()
    }
    failures = []
    for route in list_routes():
        for code in codes_b:
            sent = {name: code for name in UNIT_PARAMS} | records_b | {"q": SECRET_NAME}
            missing = (
                {name: "NOPE0000" for name in UNIT_PARAMS}
                | {param: str(uuid.UUID(int=12345)) for param in RECORD_PARAMS}
                | {"q": "无此人员"}
            )
            got = client.get(route, sent)
            baseline = client.get(route, missing)
            if got.status_code != baseline.status_code:
                failures.append(f"{route}?…={code}: {got.status_code} (missing: {baseline.status_code})")
                continue
            raw = b"".join(got.streaming_content) if got.streaming else got.content
            body = raw.decode("utf-8", errors="replace")
            shown = [s for s in secrets - set(sent.values()) if s in body]
            if shown:
                failures.append(f"{route}?…={code} shows {shown}")
    assert not failures, "\n".join(failures)


def test_a_volunteer_reaches_nothing_but_their_own_tasks(world, client_for):
    """The volunteer role (issue 17) holds the least: every record of the district but their own tasks answers as
    a record that does not exist, and no page shows another record's identifier or a person's name."""
    from fangkong.accounts.models import User
    from fangkong.fieldwork.access import my_tasks

    volunteer = User.objects.get(username="fieldwork-volunteer-0")
    tasks = list(my_tasks(volunteer))
    own_tasks = {str(t.uuid) for t in tasks}
    assert own_tasks
    client = client_for(volunteer)
    ids = identifiers(world.county)
    # Their tasks, and the place a disinfection task of theirs names (the phone needs it to record offline).
    mine = own_tasks | {str(t.place.uuid) for t in tasks if t.place} | {str(volunteer.uuid)}
    others = {name: values - mine for name, values in ids.items() if name != "__codes__"}
    others["__codes__"] = ids["__codes__"]
    before = snapshot(world.county)
    failures = []
    for url, url_missing in sweep_targets(others):
        for method in METHODS:
            kwargs = {"content_type": "application/json", "data": "{}"} if method != "get" else {}
            got = getattr(client, method)(url, **kwargs)
            baseline = getattr(client, method)(url_missing, **kwargs)
            if got.status_code < 400 or got.status_code != baseline.status_code:
                failures.append(
                    f"{method.upper()} {url} -> {got.status_code} (missing: {baseline.status_code})"
                )
    secrets = {v for name, values in others.items() if name != "__codes__" for v in values}
    secrets |= {SECRET_NAME, "甲镇人员"}
    for route in list_routes():
        response = client.get(route)
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8", errors="replace") if response.status_code == 200 else ""
        failures += [f"{route} shows {s}" for s in secrets if s in body]
    assert not failures, "\n".join(failures)
    assert snapshot(world.county) == before
    own_page = client.get(f"/field/tasks/{sorted(own_tasks)[0]}/")
    assert own_page.status_code == 200
