"""City-scale page benchmark: `python bench/city.py --people N [--reuse] [--runs 7] [--only REGEX]`.

Builds two databases from DATABASE_URL (a SQLite file, or a PostgreSQL database; default
`sqlite:////tmp/fangkong-city/city.sqlite3`): *small*, the demo district (`load_demo`), at the same place with
`_small` added to the name, and *large*, the demo district plus a city made with raw bulk SQL — N people in N/3
households (valid ID numbers, pinyin keys from `fangkong.lib.names`), 0.3·N returnee reports, N push items in 10
batches (about 14 % of them overdue), a household-visit campaign per village, and the modules' big tables
(`--orders`, default N/10 control orders with their test days; `--samples`, default 5·N samples in 10-in-1 pools,
rounds of everyone a week apart; `--crossings`, default 10·N checkpoint crossings over 30 days), with the day
counts each module keeps rebuilt from the rows — then `ANALYZE`s both.

Then it times every page and list API, found by walking the URL configuration, as the command office
(`zhihuibu`), a township cadre (`wangzhu`) and a grid worker (`wangzhu-grid`): a URL's parameters are filled
with the user's own region code or the newest record that answers 200 for that user, separately in each
database; pages that are not HTML or JSON on the demo (downloads) or answer no 200 there are left out, and a
page with a search box is also timed with `q=zs`, `q=张三` and `q=9992`. Each page is requested `--runs` times
on small and on large, interleaved, through Django's test client (middleware, templates and all); the median
counts. One JSON line per page × user, then the summary line:
`{"pages": N, "over_300ms": N, "over_ratio": N, "worst_page": …, "worst_ms": …, "worst_ratio": …}`.
A page is over ratio when its large median is more than 1.5× its small median.

`--reuse` keeps databases built before (it only migrates and analyzes them again), so a change of indexes or
queries can be measured without building the city again. Never point DATABASE_URL at the test databases.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import logging
import os
import random
import re
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/fangkong-city/city.sqlite3"
TARGET_MS = 300.0
TARGET_RATIO = 1.5
USERS = ("zhihuibu", "wangzhu", "wangzhu-grid")
SEARCHES = ("zs", "张三", "9992")
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "三四五伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红娥玲芬国志海燕东文博涵浩然"
# Birth-place codes the demo does not use, so no city number can collide with a demo resident's.
ID_PREFIXES = ("410972", "410971", "410900", "410901")
ORIGINS = [
    ("江苏省", "南京市", "江宁区", "禄口街道", "high", True),
    ("河南省", "郑州市", "二七区", "", "medium", True),
    ("江苏省", "扬州市", "邗江区", "", "medium", True),
    ("河南省", "郑州市", "金水区", "", "", True),
    ("北京市", "北京市", "朝阳区", "", "", False),
    ("广东省", "广州市", "白云区", "", "", False),
]
MEASURE_FOR_RISK = {"high": "centralized_isolation", "medium": "home_isolation", "": "none"}


# --- databases ------------------------------------------------------------------------------------


def _small_url(url: str) -> str:
    if url.startswith("sqlite"):
        path = Path(_sqlite_path(url))
        return f"sqlite:///{path.with_name(path.stem + '_small' + path.suffix)}"
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path + "_small"))


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite://").removeprefix("/") if url.startswith("sqlite:////") else url[10:]


def _refuse_unsafe(url: str) -> None:
    name = Path(urlparse(url).path).name
    if name.startswith("test_") or url.rstrip("/").endswith("var/fangkong.sqlite3"):
        sys.exit(f"refusing to build the city in {url}: use a database of its own")


def _recreate(url: str) -> None:
    """An empty database at `url` (dropped first)."""
    parts = urlparse(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(_sqlite_path(url))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _exists(url: str) -> bool:
    parts = urlparse(url)
    if parts.scheme.startswith("sqlite"):
        return Path(_sqlite_path(url)).exists()
    import psycopg

    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        ).fetchone()
    return row is not None


def _setup_django(url: str, small_url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("FANGKONG_VAR_DIR", "/tmp/fangkong-city/var")  # noqa: S108
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    # Production mode (no query log, cached templates, hashed static files).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # production mode refuses a weak key
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import dj_database_url
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import router

    # The bench's two databases are primaries of their own: the project's router would migrate `default` only
    # (it keeps migrations off a streaming replica) and there is no replica here.
    router.routers = []

    # Production mode serves hashed static file names from the manifest collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    small = dict(settings.DATABASES["default"])
    small["NAME"] = dj_database_url.parse(small_url)["NAME"]
    settings.DATABASES["small"] = small
    settings.DATABASES["large"] = dict(settings.DATABASES["default"])


class use:
    """Make `alias` the default connection, so the app's own code (which uses `default`) runs on it."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def __enter__(self) -> None:
        from django.core.cache import cache
        from django.db import connections

        connections["default"] = connections[self.alias]
        # Each database keeps its own cached figures, as it would with a server of its own.
        cache.key_prefix = self.alias

    def __exit__(self, *exc: object) -> None:
        return None


# --- building -------------------------------------------------------------------------------------


def _prepare(alias: str, *, fresh: bool) -> float:
    """Migrate (and for a fresh database load the demo district); returns seconds taken."""
    from django.core.management import call_command

    started = time.monotonic()
    with use(alias):
        call_command("migrate", database=alias, verbosity=0)
        if fresh:
            # load_demo refuses a production database unless forced; this one is the bench's own.
            call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
            _add_campaigns(alias)
    return time.monotonic() - started


class Loader:
    """Raw bulk inserts with explicit ids: COPY on PostgreSQL, executemany in chunks on SQLite."""

    def __init__(self, alias: str) -> None:
        from django.db import connections

        self.conn = connections[alias]
        self.pg = self.conn.vendor == "postgresql"
        if not self.pg:
            with self.conn.cursor() as cur:
                # Random uuids land all over their unique index: with SQLite's default 2 MB page cache most
                # inserts read pages back from disk. Half a gigabyte keeps the indexes of a million rows in memory.
                cur.execute("PRAGMA cache_size = -500000")
                # The bench's own database, thrown away on failure: no rollback journal and no fsync while
                # building; WAL comes back before the pages are timed.
                cur.execute("PRAGMA journal_mode = OFF")
                cur.execute("PRAGMA synchronous = OFF")

    def next_id(self, model: Any) -> int:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
            return int(cur.fetchone()[0])

    def insert(self, model: Any, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert `rows` (values for the fields `names`, by attname); other columns get their default."""
        fields = [model._meta.get_field(n) for n in names]
        by_attname = {f.attname: f for f in fields}
        extra = []
        for f in model._meta.concrete_fields:
            if f.attname in by_attname or f.primary_key or getattr(f, "generated", False):
                continue  # generated columns (the people's last-four search keys) fill themselves
            if f.unique:
                raise RuntimeError(f"{model.__name__}.{f.name} is unique: the bench must fill it")
            extra.append((f, f.get_db_prep_save(f.get_default(), self.conn)))
        columns = [f.column for f in fields] + [f.column for f, _ in extra]
        extra_values = tuple(v for _, v in extra)
        table = model._meta.db_table
        count = 0
        if self.pg:
            cols = ", ".join(f'"{c}"' for c in columns)
            with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, *extra_values))
                    count += 1
            return count
        adapters = [self._sqlite_adapter(f) for f in fields]
        sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(  # noqa: S608 - names come from the models
            table, ", ".join(f'"{c}"' for c in columns), ", ".join("?" * len(columns))
        )
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append((*(a(v) if a else v for a, v in zip(adapters, row, strict=True)), *extra_values))
            if len(chunk) >= 200_000:
                count += self._sqlite_chunk(sql, chunk)
                chunk = []
        if chunk:
            count += self._sqlite_chunk(sql, chunk)
        return count

    def _sqlite_chunk(self, sql: str, chunk: list[tuple[Any, ...]]) -> int:
        # Django keeps the connection in autocommit: without BEGIN every row would be its own transaction.
        raw = self.conn.connection
        raw.execute("BEGIN")
        raw.executemany(sql, chunk)
        raw.execute("COMMIT")
        return len(chunk)

    def _sqlite_adapter(self, field: Any) -> Callable[[Any], Any] | None:
        kind = field.get_internal_type()
        if kind == "UUIDField":
            return lambda v: v.hex
        if kind == "DateTimeField":
            return lambda v: None if v is None else self.conn.ops.adapt_datetimefield_value(v)
        if kind == "DateField":
            return lambda v: None if v is None else v.isoformat()
        return None

    def finish(self, models: list[Any]) -> None:
        from django.core.management.color import no_style

        with self.conn.cursor() as cur:
            for sql in self.conn.ops.sequence_reset_sql(no_style(), models):
                cur.execute(sql)
            if not self.pg:
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")


def _add_campaigns(alias: str) -> None:
    """A household-visit campaign per village, with a third of its households visited (both databases)."""
    from django.utils import timezone

    from fangkong.accounts.models import User
    from fangkong.people.models import Household
    from fangkong.regions.models import Level, Region
    from fangkong.screening.models import HouseholdVisit, ScreeningCampaign

    loader = Loader(alias)
    now = timezone.now()
    today = timezone.localdate()
    office = User.objects.using(alias).get(username="zhihuibu")
    villages = list(Region.objects.using(alias).filter(level=Level.VILLAGE).values_list("id", flat=True))
    first = loader.next_id(ScreeningCampaign)
    campaign_of = {v: first + i for i, v in enumerate(villages)}
    loader.insert(
        ScreeningCampaign,
        ["id", "uuid", "region", "name", "started_on", "created_at", "created_by"],
        (
            (cid, uuid.uuid4(), v, f"入户排查 {i + 1}", today, now, office.pk)
            for i, (v, cid) in enumerate(campaign_of.items())
        ),
    )
    # A list, not a lazy query: PostgreSQL cannot run a query on the connection while a COPY is open.
    households = list(
        Household.objects.using(alias).filter(region_id__in=villages).values_list("id", "region_id")
    )
    loader.insert(
        HouseholdVisit,
        ["uuid", "campaign", "household", "visited_on", "visited_by", "people_present", "returnees_found"],
        ((uuid.uuid4(), campaign_of[r], h, today, office.pk, 3, 0) for h, r in households if h % 3 == 0),
    )
    loader.finish([ScreeningCampaign, HouseholdVisit])


def _build_city(alias: str, people: int) -> dict[str, int]:
    """The city: people, households, returnee reports, push batches and items, with raw bulk SQL."""
    from django.utils import timezone

    from fangkong.accounts.models import User
    from fangkong.lib.idnumbers import make as make_id
    from fangkong.lib.names import full_pinyin, initials
    from fangkong.people.models import Household, Person
    from fangkong.pushlists.models import BatchStatus, Outcome, PushBatch, PushItem, RouteMethod
    from fangkong.regions.models import Level, Region
    from fangkong.screening.models import ControlMeasure, ReturneeReport

    rng = random.Random(20211)
    loader = Loader(alias)
    now = timezone.now()
    regions = list(
        Region.objects.using(alias).filter(is_active=True).values("id", "level", "parent_id", "code", "path")
    )
    county = next(r for r in regions if r["level"] == Level.COUNTY)
    grids_of: dict[int, list[int]] = {}
    for r in regions:
        if r["level"] == Level.GRID:
            grids_of.setdefault(r["parent_id"], []).append(r["id"])
    villages = sorted(grids_of)
    township_of = {r["id"]: r["parent_id"] for r in regions if r["level"] == Level.VILLAGE}
    path_of = {r["id"]: r["path"] for r in regions}
    worker = User.objects.using(alias).get(username="wangzhu-grid")
    office = User.objects.using(alias).get(username="zhihuibu")
    worker_grid = worker.region_id
    measures = dict(ControlMeasure.objects.using(alias).values_list("code", "id"))

    # Households: N/3, each in a village, its people in one grid of that village.
    n_households = max(1, people // 3)
    hh_first = loader.next_id(Household)
    hh_village = [villages[i % len(villages)] for i in range(n_households)]
    loader.insert(
        Household,
        ["id", "uuid", "region", "number", "address", "is_active", "created_at"],
        (
            (hh_first + i, uuid.uuid4(), v, f"C{i:07d}", f"城区{i % 400}路{i}号", True, now)
            for i, v in enumerate(hh_village)
        ),
    )

    names: dict[str, tuple[str, str]] = {}

    def keys(name: str) -> tuple[str, str]:
        if name not in names:
            names[name] = (initials(name), full_pinyin(name))
        return names[name]

    person_first = loader.next_id(Person)
    person_grid: list[int] = []
    person_doc: list[str] = []
    person_name: list[str] = []

    def person_rows() -> Iterator[tuple[Any, ...]]:
        base = datetime.date(1940, 1, 1)
        for i in range(people):
            hh = i // 3 if i // 3 < n_households else n_households - 1
            village = hh_village[hh]
            grid = grids_of[village][hh % len(grids_of[village])]
            # Distinct (prefix, birth date, sequence) per person: 1000 sequences per day and prefix.
            birth = base + datetime.timedelta(days=((i // 4000) * 29) % 29200)
            number = make_id(ID_PREFIXES[(i // 1000) % 4], birth, i % 1000)
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 1, 2))))
            ini, pinyin = keys(name)
            phone = f"+861{rng.choice('3589')}{rng.randrange(10**9):09d}"
            person_grid.append(grid)
            person_doc.append(number)
            person_name.append(name)
            yield (
                person_first + i,
                uuid.uuid4(),
                name,
                ini,
                pinyin,
                "resident_id",
                number,
                "M" if int(number[16]) % 2 else "F",
                birth,
                phone,
                "城区",
                hh_first + hh,
                grid,
                True,
                now,
                now,
            )

    loader.insert(
        Person,
        [
            "id",
            "uuid",
            "name",
            "name_initials",
            "name_pinyin",
            "document_type",
            "document_number",
            "sex",
            "birth_date",
            "phone",
            "address",
            "household",
            "region",
            "is_active",
            "created_at",
            "updated_at",
        ],
        person_rows(),
    )
    village_of_grid = {g: v for v, gs in grids_of.items() for g in gs}

    # Returnee reports: 0.3·N; a third of the reported people have both channels (双报告 complete).
    n_reports = int(people * 0.3)
    both = n_reports // 3
    one = n_reports - 2 * both

    def report_rows() -> Iterator[tuple[Any, ...]]:
        k = 0
        for j in range(both + one):
            p = (j * 7919) % people
            channels = ("self", "grid") if j < both else (rng.choice(("self", "grid")),)
            for channel in channels:
                grid = person_grid[p]
                origin = ORIGINS[rng.randrange(len(ORIGINS))]
                created = now - datetime.timedelta(minutes=rng.randrange(30 * 24 * 60))
                region = grid if channel == "grid" else village_of_grid[grid]
                yield (
                    uuid.uuid4(),
                    person_first + p,
                    channel,
                    region,
                    path_of[region],
                    path_of[grid],
                    *origin[:4],
                    origin[4],
                    origin[5],
                    "returned",
                    created.date(),
                    "train",
                    f"B{k:015d}",
                    measures.get(MEASURE_FOR_RISK[origin[4]]),
                    worker.pk if grid == worker_grid else None,
                    created,
                )
                k += 1

    loader.insert(
        ReturneeReport,
        [
            "uuid",
            "person",
            "channel",
            "region",
            "region_path",
            "home_path",
            "origin_province",
            "origin_city",
            "origin_county",
            "origin_township",
            "origin_risk_level",
            "origin_starred",
            "status",
            "return_date",
            "transport_mode",
            "receipt_number",
            "proposed_measure",
            "assigned_to",
            "created_at",
        ],
        report_rows(),
    )

    # Push lists: N items in 10 batches, a day apart; older batches mostly verified, the rest overdue.
    batch_first = loader.next_id(PushBatch)
    per_batch = max(1, people // 10)
    batches = []
    for b in range(10):
        created = now - datetime.timedelta(days=10 - b, hours=2)
        if b == 9:
            created = now - datetime.timedelta(hours=2)
        batches.append((batch_first + b, created))
    loader.insert(
        PushBatch,
        [
            "id",
            "uuid",
            "name",
            "file_name",
            "sha256",
            "region",
            "uploaded_by",
            "created_at",
            "finished_at",
            "deadline_hours",
            "status",
            "rows_total",
            "rows_imported",
        ],
        (
            (
                bid,
                uuid.uuid4(),
                f"城市推送第{b + 1}批",
                f"city-{b + 1}.csv",
                hashlib.sha256(f"city-{people}-{b}-{uuid.uuid4()}".encode()).hexdigest(),
                county["id"],
                office.pk,
                created,
                created + datetime.timedelta(minutes=5),
                24,
                BatchStatus.DONE,
                per_batch,
                per_batch,
            )
            for b, (bid, created) in enumerate(batches)
        ),
    )
    outcomes = [o for o, _ in Outcome.choices if o != Outcome.NEW_FOUND]

    def item_rows() -> Iterator[tuple[Any, ...]]:
        for b, (bid, created) in enumerate(batches):
            deadline = created + datetime.timedelta(hours=24)
            verified_share = 0.3 if b == 9 else 0.84
            for row in range(1, per_batch + 1):
                p = rng.randrange(people)
                grid = person_grid[p]
                village = village_of_grid[grid]
                roll = rng.random()
                if roll < 0.05:
                    region, method, dispatched = county["id"], RouteMethod.NONE, None
                elif roll < 0.30:
                    region, method, dispatched = township_of[village], RouteMethod.TOWNSHIP_COLUMN, created
                elif roll < 0.60:
                    region, method, dispatched = village, RouteMethod.ADDRESS, created
                else:
                    region, method, dispatched = grid, RouteMethod.HOME_REGION, created
                verified = rng.random() < verified_share
                yield (
                    uuid.uuid4(),
                    bid,
                    row,
                    f"{b:02d}{row:010d}",
                    person_name[p],
                    person_doc[p],
                    "南京市江宁区",
                    f"{created:%Y-%m-%d}",
                    "",
                    person_first + p,
                    region,
                    method,
                    worker.pk if region == worker_grid else None,
                    dispatched,
                    deadline,
                    rng.choice(outcomes) if verified else "",
                    created + datetime.timedelta(hours=rng.randrange(1, 30)) if verified else None,
                    worker.pk if verified else None,
                )

    loader.insert(
        PushItem,
        [
            "uuid",
            "batch",
            "row_number",
            "row_key",
            "name",
            "id_number",
            "origin",
            "arrival",
            "township_text",
            "person",
            "region",
            "route_method",
            "assigned_to",
            "dispatched_at",
            "deadline_at",
            "outcome",
            "verified_at",
            "verified_by",
        ],
        item_rows(),
    )
    loader.finish([Household, Person, ReturneeReport, PushBatch, PushItem])
    return {
        "households": n_households,
        "people": people,
        "returnee_reports": n_reports,
        "push_items": per_batch * 10,
    }


def _build_modules(alias: str, orders: int, samples: int, crossings: int) -> dict[str, Any]:
    """The modules' big tables over the city's people (issue 16): `orders` control orders with their test days
    (those whose protocol ended are released), `samples` samples in 10-in-1 pools — whole rounds of everyone a
    week apart, resulted negative, the last round still running and partly sampled — and `crossings` checkpoint
    crossings over the last 30 days at the demo's first checkpoint, with the per-unit day counts each module keeps
    (`ControlDay`, `RoundTested`, `CrossingDay`) rebuilt from the rows."""
    from django.db import connections
    from django.utils import timezone

    from bench.checkpoint_api import bulk_load
    from fangkong.accounts.models import User
    from fangkong.checkpoints.models import Checkpoint, Crossing, CrossingDay, Traveller
    from fangkong.control.counts import rebuild
    from fangkong.control.days import plans
    from fangkong.control.models import ControlOrder, DueTest, OrderStatus, Reason
    from fangkong.lib.reporting_day import SHANGHAI, local_date
    from fangkong.people.models import Person
    from fangkong.regions.models import Level, Region
    from fangkong.testing import counters
    from fangkong.testing.models import (
        Purpose,
        Result,
        RoundTested,
        TestingPoint,
        TestingRound,
        Tube,
        TubeMember,
        TubeStatus,
    )

    rng = random.Random(20212)
    loader = Loader(alias)
    conn = connections[alias]
    now = timezone.now()
    today = local_date(now)
    figures: dict[str, Any] = {}
    people = list(
        Person.objects.using(alias).filter(is_active=True).order_by("id").values_list("id", "region_id")
    )
    county = Region.objects.using(alias).get(level=Level.COUNTY)
    townships = list(Region.objects.using(alias).filter(level=Level.TOWNSHIP, is_active=True).order_by("id"))
    township_of_path = [(t.path, t.pk) for t in townships]
    path_of = dict(Region.objects.using(alias).values_list("id", "path"))

    def township(region_id: int) -> int:
        path = path_of[region_id]
        return next((t for p, t in township_of_path if path.startswith(p)), county.pk)

    office = User.objects.using(alias).get(username="zhihuibu")

    # Control orders: one per person (the first `orders` people of the city, spread by a stride).
    started = time.monotonic()
    all_plans = plans()
    protocols = list(all_plans.items())
    stride = max(1, len(people) // max(orders, 1))
    chosen = [people[i * stride] for i in range(min(orders, len(people)))]
    order_first = loader.next_id(ControlOrder)
    order_rows: list[tuple[Any, ...]] = []
    test_rows: list[tuple[Any, ...]] = []
    for k, (person_id, region_id) in enumerate(chosen):
        protocol_id, plan = protocols[k % len(protocols)]
        start = today - datetime.timedelta(days=rng.randrange(plan.total_days + 60))
        end = plan.end_day(start)
        closed = end < today
        closed_on = end + datetime.timedelta(days=1) if closed else None
        closed_at = (
            datetime.datetime.combine(closed_on, datetime.time(9), tzinfo=SHANGHAI) if closed_on else None
        )
        created = datetime.datetime.combine(start, datetime.time(9), tzinfo=SHANGHAI)
        order_id = order_first + k
        order_rows.append(
            (
                order_id,
                uuid.uuid4(),
                person_id,
                region_id,
                Reason.CLOSE_CONTACT,
                protocol_id,
                start,
                end,
                OrderStatus.RELEASED if closed else OrderStatus.ACTIVE,
                closed_on,
                closed_at,
                created,
                office.pk,
            )
        )
        for stage, day in plan.test_dates(start):
            done = day < today
            at = datetime.datetime.combine(day, datetime.time(18), tzinfo=SHANGHAI) if done else None
            test_rows.append((order_id, stage, day, True, "negative" if done else "", at))
    loader.insert(
        ControlOrder,
        [
            "id",
            "uuid",
            "person",
            "region",
            "reason",
            "protocol",
            "start_day",
            "end_day",
            "status",
            "closed_on",
            "closed_at",
            "created_at",
            "created_by",
        ],
        order_rows,
    )
    loader.insert(DueTest, ["order", "stage", "day", "planned", "result", "resulted_at"], test_rows)
    rebuild()  # the per-unit day counts, as the actions keep them
    figures.update(
        orders=len(order_rows),
        orders_active=sum(1 for r in order_rows if r[8] == OrderStatus.ACTIVE),
        due_tests=len(test_rows),
        orders_build_s=round(time.monotonic() - started, 1),
    )

    # Samples: a testing point per township; rounds of everyone a week apart, the last one running today.
    started = time.monotonic()
    collector = User.objects.using(alias).get(username="jiance")
    point_first = loader.next_id(TestingPoint)
    point_of = {t.pk: point_first + i for i, t in enumerate(townships)}
    point_of[county.pk] = point_first
    loader.insert(
        TestingPoint,
        ["id", "uuid", "region", "name", "address", "opening_hours", "desks", "created_at"],
        [
            (point_of[t.pk], uuid.uuid4(), t.pk, f"{t.name}城区采样点", "城区", "08:00–18:00", 10, now)
            for t in townships
        ],
    )
    n_rounds = max(1, -(-samples // max(len(people), 1)))
    round_first = loader.next_id(TestingRound)
    rounds = []
    for r in range(n_rounds):
        ends = (
            today + datetime.timedelta(days=1)
            if r == n_rounds - 1
            else today - datetime.timedelta(days=7 * (n_rounds - 1 - r))
        )
        rounds.append((round_first + r, ends - datetime.timedelta(days=2), ends))
    loader.insert(
        TestingRound,
        ["id", "uuid", "region", "name", "starts_on", "ends_on", "created_at", "created_by"],
        [
            (rid, uuid.uuid4(), county.pk, f"城区全员核酸第{i + 1}轮", starts, ends, now, collector.pk)
            for i, (rid, starts, ends) in enumerate(rounds)
        ],
    )
    loader.insert(
        TestingRound.units.through, ["testinground", "region"], [(rid, county.pk) for rid, _s, _e in rounds]
    )
    tube_first = loader.next_id(Tube)
    left = samples
    tube_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        loader.insert(
            Tube,
            [
                "id",
                "uuid",
                "barcode",
                "capacity",
                "status",
                "purpose",
                "round",
                "point",
                "region",
                "collector",
                "opened_at",
                "sampled_on",
                "closed_at",
                "member_count",
                "result",
                "resulted_at",
            ],
            tube_rows,
        )
        loader.insert(
            TubeMember,
            ["tube", "person", "position", "round", "sampled_at", "sampled_on", "result", "resulted_at"],
            member_rows,
        )
        tube_rows.clear()
        member_rows.clear()

    tube_id = tube_first
    for r, (rid, starts, _ends) in enumerate(rounds):
        running = r == n_rounds - 1
        take = min(left, len(people))
        left -= take
        for first in range(0, take, 10):
            pool = people[first : min(first + 10, take)]
            day = min(starts + datetime.timedelta(days=(first * 3) // max(take, 1)), today)
            at = datetime.datetime.combine(day, datetime.time(8 + first % 10), tzinfo=SHANGHAI)
            resulted = None if running else at + datetime.timedelta(hours=8)
            result = "" if running else Result.NEGATIVE
            town = township(pool[0][1])
            tube_rows.append(
                (
                    tube_id,
                    uuid.uuid4(),
                    f"C{r:02d}{first // 10:08d}",
                    10,
                    TubeStatus.CLOSED if running else TubeStatus.RESULTED,
                    Purpose.ROUND,
                    rid,
                    point_of.get(town, point_first),
                    town,
                    collector.pk,
                    at,
                    day,
                    at,
                    len(pool),
                    result,
                    resulted,
                )
            )
            member_rows.extend(
                (tube_id, pid, n + 1, rid, at, day, result, resulted) for n, (pid, _rid) in enumerate(pool)
            )
            tube_id += 1
            if len(member_rows) >= 500_000:
                flush()
    flush()
    tested, member, person = RoundTested._meta.db_table, TubeMember._meta.db_table, Person._meta.db_table
    with conn.cursor() as cur:
        # The rounds' tested counters, as the sampling actions keep them (a person's first sample, active).
        cur.execute(
            f"INSERT INTO {tested} (round_id, region_id, day, count) "  # noqa: S608 - names from the models
            f"SELECT m.round_id, p.region_id, m.sampled_on, COUNT(*) FROM {member} m "
            f"JOIN {person} p ON p.id = m.person_id WHERE m.round_id >= %s AND p.is_active "
            "GROUP BY m.round_id, p.region_id, m.sampled_on",
            [round_first],
        )
    # The samples and results per unit and day, as the sampling and result actions keep them.
    counters.recount_days(None, using=alias)
    figures.update(
        rounds=n_rounds,
        tubes=tube_id - tube_first,
        samples=samples - left,
        samples_build_s=round(time.monotonic() - started, 1),
    )

    # Crossings: the demo's first checkpoint, one traveller each, over the last 30 days.
    started = time.monotonic()
    checkpoint = Checkpoint.objects.using(alias).order_by("id").first()
    staff = User.objects.using(alias).get(username="kakou")
    if checkpoint is not None and crossings > 0:
        bulk_load(checkpoint.pk, checkpoint.region_id, staff.pk, crossings, days_back=30)
        days, trav = CrossingDay._meta.db_table, Traveller._meta.db_table
        crossing = Crossing._meta.db_table
        local_day = (
            "(c.registered_at AT TIME ZONE 'Asia/Shanghai')::date"
            if conn.vendor == "postgresql"
            else "date(c.registered_at, '+8 hours')"
        )
        with conn.cursor() as cur:
            cur.execute(f"DELETE FROM {days} WHERE checkpoint_id = %s", [checkpoint.pk])  # noqa: S608
            cur.execute(
                f"INSERT INTO {days} (checkpoint_id, region_id, day, people, vehicles, yellow_codes, red_codes, "  # noqa: S608
                "fevers, referrals, turned_back, sent_to_grid) "
                f"SELECT c.checkpoint_id, c.region_id, {local_day}, COUNT(t.id), 0, 0, 0, 0, 0, 0, 0 "
                f"FROM {crossing} c JOIN {trav} t ON t.crossing_id = c.id WHERE c.checkpoint_id = %s "
                f"GROUP BY c.checkpoint_id, c.region_id, {local_day}",
                [checkpoint.pk],
            )
        figures["crossings"] = crossings
    figures["crossings_build_s"] = round(time.monotonic() - started, 1)
    loader.finish([ControlOrder, DueTest, TestingPoint, TestingRound, Tube, TubeMember])
    return figures


def _analyze(alias: str) -> None:
    from django.db import connections

    conn = connections[alias]
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    if conn.vendor == "sqlite":
        conn.connection.commit()


# --- pages ----------------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    from django.urls import URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _routes() -> list[tuple[str, dict[str, Any]]]:
    """Every URL pattern (route, its converters), without duplicates (the API lists GET and POST apart)."""
    from django.urls import get_resolver

    seen: dict[str, dict[str, Any]] = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        seen.setdefault(route, getattr(pattern.pattern, "converters", {}))
    return list(seen.items())


def _fill(route: str, values: dict[str, str]) -> str:
    path = route
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    return "/" + path.lstrip("^").rstrip("$")


def _candidates(param: str, user: Any, alias: str) -> list[str]:
    """Values to try for a URL parameter, best first: the user's own unit, then the newest records."""
    from django.apps import apps
    from django.utils import timezone

    from fangkong.regions.models import Region

    if param == "day":
        today = timezone.localdate()
        return [today.isoformat(), (today - datetime.timedelta(days=1)).isoformat()]
    if param == "fmt":
        return []  # file downloads: not pages
    domain = [m for m in apps.get_models() if m.__module__.startswith("fangkong.")]
    if param.endswith("uuid"):
        stem = param.removesuffix("_uuid").replace("_", "")
        found: list[str] = []
        for model in domain:
            name = model._meta.model_name or ""
            if stem and stem in name and any(f.name == "uuid" for f in model._meta.get_fields()):
                qs = model._default_manager.using(alias).order_by("-pk").values_list("uuid", flat=True)
                if user.region is not None and any(f.name == "region" for f in model._meta.get_fields()):
                    # Records of the user's own units first: the newest of the district may be elsewhere.
                    qs = qs.filter(region__path__startswith=user.region.path)
                found += [str(v) for v in qs[:6]]
        return found
    field = "code" if param.endswith("code") else param
    values: list[str] = []
    if user.region is not None and field == "code":
        values.append(user.region.code)
        below = (
            Region.objects.using(alias).filter(path__startswith=user.region.path).exclude(pk=user.region_id)
        )
        values += list(below.order_by("path").values_list("code", flat=True)[:3])
    for model in domain:
        if model is not Region and any(f.name == field for f in model._meta.get_fields()):
            values += [str(v) for v in model._default_manager.using(alias).values_list(field, flat=True)[:4]]
    return values


def _is_page(response: Any) -> bool:
    kind = response.get("Content-Type", "")
    return (
        response.status_code == 200
        and ("text/html" in kind or "application/json" in kind)
        and "attachment" not in response.get("Content-Disposition", "")
    )


def _find_url(client: Any, route: str, converters: dict[str, Any], user: Any, alias: str) -> str | None:
    """A URL of `route` answering a page for this user, or None."""
    import itertools

    pools = [_candidates(name, user, alias)[:12] for name in converters]
    for combo in itertools.islice(itertools.product(*pools), 12):
        url = _fill(route, dict(zip(converters, combo, strict=True)))
        response = client.get(url, secure=True)
        if _is_page(response):
            return url
        if response.status_code == 405:
            return None  # not a page: an action taking POST
    return None


def _counting(queries: list[str]) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def _request_ms(client: Any, url: str, alias: str) -> float:
    with use(alias):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} on {alias}")
    return elapsed


_COUNTED: dict[str, float] = {}


def _count_coverage_as_the_jobs_do(alias: str) -> None:
    """Vaccination coverage is read from runs a job counts every minute (and at night for the last month's
    days): do what the jobs would have done by now, outside the timed requests."""
    from django.utils import timezone

    from fangkong.lib.reporting_day import local_date
    from fangkong.vaccination import coverage, tasks

    last = _COUNTED.get(alias)
    if last is not None and time.monotonic() - last < 60:
        return
    now = timezone.now()
    today = local_date(now)
    days = (
        [today]
        if last is not None
        else [today - datetime.timedelta(days=n) for n in range(tasks.RECOUNT_DAYS + 1)]
    )
    with use(alias):
        for day in days:
            coverage.do_count_coverage(day, now)
    _COUNTED[alias] = time.monotonic()


def _time_pages(runs: int, only: str | None) -> list[dict[str, Any]]:
    from django.db import connections
    from django.test import Client

    from fangkong.accounts.models import User
    from fangkong.today import SECTIONS

    results: list[dict[str, Any]] = []
    routes: list[tuple[str, dict[str, Any]]] = []
    for route, converters in _routes():
        if route in ("today/<slug:key>/", "dashboards/<slug:key>/"):
            # The home page's sections (loaded by htmx) and the dashboards: every one of them, not the first that
            # answers — each module's figures are counted by its own queries.
            routes += [(route.replace("<slug:key>", s.key), {}) for s in SECTIONS]
        else:
            routes.append((route, converters))
    routes = [(r, c) for r, c in routes if not only or re.search(only, r)]
    for username in USERS:
        clients: dict[str, Any] = {}
        users: dict[str, Any] = {}
        for alias in ("small", "large"):
            with use(alias):
                users[alias] = User.objects.select_related("region").get(username=username)
                clients[alias] = Client()
                clients[alias].force_login(users[alias])
        for route, converters in routes:
            for alias in ("small", "large"):
                _count_coverage_as_the_jobs_do(alias)
            urls: dict[str, str | None] = {}
            for alias in ("small", "large"):
                with use(alias):
                    urls[alias] = _find_url(clients[alias], route, converters, users[alias], alias)
                if urls["small"] is None:
                    break
            small_url, large_url = urls.get("small"), urls.get("large")
            if small_url is None or large_url is None:
                continue
            variants = [("", small_url, large_url)]
            with use("small"):
                body = clients["small"].get(small_url, secure=True).content
            if b'name="q"' in body and "?" not in small_url:
                variants += [(f"?q={q}", f"{small_url}?q={q}", f"{large_url}?q={q}") for q in SEARCHES]
            for suffix, s_url, l_url in variants:
                queries: list[str] = []
                with use("large"), connections["large"].execute_wrapper(_counting(queries)):
                    clients["large"].get(l_url, secure=True)
                small_ms: list[float] = []
                large_ms: list[float] = []
                for _ in range(runs):
                    small_ms.append(_request_ms(clients["small"], s_url, "small"))
                    large_ms.append(_request_ms(clients["large"], l_url, "large"))
                s, lg = statistics.median(small_ms), statistics.median(large_ms)
                result = {
                    "page": "/" + route + suffix,
                    "user": username,
                    "url": l_url,
                    "small_ms": round(s, 1),
                    "large_ms": round(lg, 1),
                    "ratio": round(lg / s, 2) if s else None,
                    "queries": len(queries),
                }
                print(json.dumps(result, ensure_ascii=False), flush=True)
                results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--orders", type=int, help="control orders (default: a tenth of --people)")
    parser.add_argument("--samples", type=int, help="samples (default: 5 × --people)")
    parser.add_argument("--crossings", type=int, help="checkpoint crossings (default: 10 × --people)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep databases built before")
    parser.add_argument("--only", help="time only routes matching this regular expression")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    small_url = _small_url(url)
    for u in (url, small_url):
        _refuse_unsafe(u)
    fresh = not (args.reuse and _exists(url) and _exists(small_url))
    if fresh:
        _recreate(url)
        _recreate(small_url)
    _setup_django(url, small_url)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the probes' 404s and 405s are expected
    from django.db import connections

    build: dict[str, Any] = {"engine": connections["large"].vendor, "people": args.people, "fresh": fresh}
    build["small_prepare_s"] = round(_prepare("small", fresh=fresh), 1)
    build["large_prepare_s"] = round(_prepare("large", fresh=fresh), 1)
    if fresh:
        started = time.monotonic()
        with use("large"):
            build.update(_build_city("large", args.people))
            build.update(
                _build_modules(
                    "large",
                    args.people // 10 if args.orders is None else args.orders,
                    5 * args.people if args.samples is None else args.samples,
                    10 * args.people if args.crossings is None else args.crossings,
                )
            )
        build["city_build_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    _analyze("small")
    _analyze("large")
    build["analyze_s"] = round(time.monotonic() - started, 1)
    build["load_average"] = round(os.getloadavg()[0], 2)
    print(json.dumps({"build": build}, ensure_ascii=False), flush=True)

    results = _time_pages(args.runs, args.only)
    over_ms = [r for r in results if r["large_ms"] > TARGET_MS]
    over_ratio = [r for r in results if r["ratio"] is not None and r["ratio"] > TARGET_RATIO]
    worst = max(results, key=lambda r: r["large_ms"], default=None)
    worst_ratio = max((r["ratio"] for r in results if r["ratio"] is not None), default=None)
    summary = {
        "pages": len(results),
        "over_300ms": len(over_ms),
        "over_ratio": len(over_ratio),
        "worst_page": f"{worst['page']} ({worst['user']})" if worst else None,
        "worst_ms": worst["large_ms"] if worst else None,
        "worst_ratio": worst_ratio,
        # Over ratio by more than 10 ms: a demo page of 4 ms is over ratio at 6 ms, within the noise of a
        # shared machine.
        "over_ratio_by_10ms": len([r for r in over_ratio if r["large_ms"] - r["small_ms"] > 10]),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(summary, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
