"""The read-replica router (fangkong/dbrouter.py): which alias a read goes to, and when a user is held on the
primary after their own write. No replica is needed: a `replica` alias is declared in settings only; the one that
is a test mirror of `default` shows how tests read their own data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import resolve

from fangkong import dbrouter
from fangkong.dbrouter import STICKY_COOKIE, PrimaryReplicaRouter, ReplicaReadMiddleware
from fangkong.regions.models import Region

ROUTER = PrimaryReplicaRouter()
# The router reads DATABASES; connections are never made to the declared replica here.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
FAKE_REPLICA = {"ENGINE": "django.db.backends.postgresql", "NAME": "replica-not-connected", "TEST": {}}


@pytest.fixture
def with_replica() -> Iterator[None]:
    """A `replica` alias declared (never connected to: these tests only ask the router where reads go)."""
    databases = {**settings.DATABASES, "replica": FAKE_REPLICA}
    with override_settings(DATABASES=databases):
        yield


def through_middleware(
    request: HttpRequest, view: Callable[[], Any] = lambda: None, view_name_path: str | None = None
) -> tuple[list[str], HttpResponse]:
    """Run `request` through ReplicaReadMiddleware as Django's handler would: resolve, process_view, the view
    (which may read or write), and return where each read during the view went, with the response."""
    reads: list[str] = []

    def get_response(req: HttpRequest) -> HttpResponse:
        req.resolver_match = resolve(view_name_path or req.path)
        middleware.process_view(req, lambda r: None, (), {})
        reads.append(ROUTER.db_for_read(Region))
        view()
        reads.append(ROUTER.db_for_read(Region))
        return HttpResponse("ok")

    middleware = ReplicaReadMiddleware(get_response)
    return reads, middleware(request)


def test_without_a_replica_every_read_goes_to_default():
    reads, response = through_middleware(RequestFactory().get("/dashboards/screening/"))

    assert reads == ["default", "default"]
    assert STICKY_COOKIE not in response.cookies
    assert ROUTER.db_for_read(Region) == "default"
    assert ROUTER.db_for_write(Region) == "default"


def test_a_dashboard_read_goes_to_the_replica(with_replica):
    reads, response = through_middleware(RequestFactory().get("/dashboards/screening/"))

    assert reads == ["replica", "replica"]
    assert STICKY_COOKIE not in response.cookies


def test_lists_named_in_the_setting_read_the_replica_and_other_views_do_not(with_replica):
    assert through_middleware(RequestFactory().get("/people/"))[0] == ["replica", "replica"]
    assert through_middleware(RequestFactory().get("/people/new"))[0] == ["default", "default"]
    assert through_middleware(RequestFactory().get("/"))[0] == ["default", "default"]


def test_a_whole_namespace_can_be_listed(with_replica):
    with override_settings(REPLICA_READ_VIEWS=["control:*"]):
        assert through_middleware(RequestFactory().get("/control/protocols/"))[0] == ["replica", "replica"]
        assert through_middleware(RequestFactory().get("/people/"))[0] == ["default", "default"]


def test_outside_a_request_reads_go_to_default(with_replica):
    # Jobs, management commands and the shell have no request: they read the primary.
    assert ROUTER.db_for_read(Region) == "default"


@pytest.mark.django_db
def test_a_post_reads_the_primary_and_holds_the_user_there_for_a_while(with_replica):
    reads, response = through_middleware(RequestFactory().post("/dashboards/screening/"))

    assert reads == ["default", "default"]
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 30 and cookie["httponly"]


def test_after_a_write_the_same_request_reads_the_primary_and_the_user_is_held_there(with_replica):
    reads, response = through_middleware(
        RequestFactory().get("/dashboards/screening/"), view=lambda: ROUTER.db_for_write(Region)
    )

    assert reads == ["replica", "default"]
    assert STICKY_COOKIE in response.cookies


def test_a_user_who_just_wrote_reads_the_primary(with_replica):
    request = RequestFactory().get("/dashboards/screening/")
    request.COOKIES[STICKY_COOKIE] = "1"

    reads, response = through_middleware(request)

    assert reads == ["default", "default"]
    # Reading does not prolong the hold: it ends REPLICA_STICKY_SECONDS after the write.
    assert STICKY_COOKIE not in response.cookies


@pytest.mark.django_db
def test_a_read_inside_a_transaction_goes_to_the_primary(with_replica):
    def in_transaction() -> None:
        with transaction.atomic():
            assert ROUTER.db_for_read(Region) == "default"

    reads, _ = through_middleware(RequestFactory().get("/dashboards/screening/"), view=in_transaction)

    assert reads == ["replica", "replica"]


def test_a_replica_declared_as_a_test_mirror_reads_the_database_it_mirrors():
    mirror = {**FAKE_REPLICA, "TEST": {"MIRROR": "default"}}
    with override_settings(DATABASES={**settings.DATABASES, "replica": mirror}):
        assert dbrouter.view_reads_replica("dashboard")
        reads, _ = through_middleware(RequestFactory().get("/dashboards/screening/"))

    assert reads == ["default", "default"]


def test_migrations_run_on_the_primary_only(with_replica):
    assert ROUTER.allow_migrate("default", "people") is True
    assert ROUTER.allow_migrate("replica", "people") is False
    assert ROUTER.allow_relation(Region(), Region()) is True


@pytest.mark.django_db
def test_a_dashboard_page_is_routed_to_the_replica_end_to_end(district, cadre_a, client_for, monkeypatch):
    """The real page through the real middleware stack: the router chooses the replica for the view's reads
    (resolved to default here, since the declared replica is not connected — it is a mirror for this test)."""
    mirror = {**FAKE_REPLICA, "TEST": {"MIRROR": "default"}}
    monkeypatch.setattr(settings, "DATABASES", {**settings.DATABASES, "replica": mirror})
    chosen: list[str] = []
    real = dbrouter.read_alias

    def spy() -> str:
        chosen.append(real())
        return chosen[-1]

    monkeypatch.setattr(dbrouter, "read_alias", spy)
    client = client_for(cadre_a)

    assert client.get("/dashboards/screening/").status_code == 200
    assert "replica" in chosen
    chosen.clear()

    # A POST anywhere marks the user as having written: for the next half minute they read the primary.
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    assert STICKY_COOKIE in client.cookies
    assert client.get("/dashboards/screening/").status_code == 200
    assert chosen and set(chosen) == {"default"}
