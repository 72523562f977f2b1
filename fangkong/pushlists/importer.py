"""The bulk path of a push-list import: validate rows in Python, let the database do the set work.

An import stores leads, not people: each good row becomes a `PushItem` carrying the pushed identity (as
given and normalised, with flags for a bad or absent secondary field) and a link to the matching active
person when there is one. It creates no person; verification does, through the people app's actions.

Rows are streamed and handled in chunks. The common case of the ID and phone rules is decided over each
chunk's whole column at once (`fangkong.lib.batchrules`, polars); every other value goes row by row through
the rules of `fangkong.lib.idnumbers` / `fangkong.lib.phones` (the same functions the forms use), so each
verdict is the form's. Python does the rest row by row: the arrival date, the row key and duplicate check,
routing by the township column or the address. Each chunk's good rows go into a temporary staging table in one COPY (PostgreSQL, one text buffer)
or one executemany (SQLite), and one INSERT … SELECT writes the items, looking up each row's person
(document number, else phone + name, through the people indexes) and home township.

Each chunk commits on its own: on SQLite a writer holds the one write lock, so a whole-file transaction
blocked every other user for the length of the import. The batch's rows stay invisible
(`PushItemQuerySet.visible`) until the caller's final short commit marks the batch done; a failed or killed
run's rows are removed before the batch is marked failed (`actions.remove_batch_rows`).
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from fangkong.lib import batchrules, idnumbers, phones
from fangkong.lib.masking import mask_document
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.people.models import DocumentType, Person
from fangkong.pushlists.models import FieldFlag, PushErrorRow, PushItem, RouteMethod
from fangkong.pushlists.reading import Sheet
from fangkong.regions.models import Level, Region

# Rows per chunk: big enough that the per-chunk statements are cheap per row, small enough that the
# staging table stays in the cache and progress moves.
CHUNK = 20_000
# On SQLite each chunk's commit holds the one write lock: a smaller chunk keeps every other writer's wait
# short (issue 11: a login beside an import answers within 1.5 s).
SQLITE_CHUNK = 4_000
BY_COLUMN, BY_ADDRESS, HOME = (
    RouteMethod.TOWNSHIP_COLUMN.value,
    RouteMethod.ADDRESS.value,
    RouteMethod.HOME_REGION.value,
)
TOWNSHIP_SUFFIXES = ("办事处", "街道", "镇", "乡", "办")
ProgressCallback = Callable[[int, int], None]
RESIDENT_ID = DocumentType.RESIDENT_ID.value
# SQLite page cache (KiB) of the import's connection while it runs: the item indexes (and the people
# indexes the match probes) take random accesses, and with the default 2 MB each one is a page read. 96 MB
# holds them and keeps a million-row import under 500 MB of RSS.
SQLITE_CACHE_KIB = 98_304


def township_key(name: str) -> str:
    """王助镇 → 王助, 皇甫街道 / 皇甫办 → 皇甫: the part people write without the kind of unit."""
    name = re.sub(r"\s", "", name)
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class TownshipRouter:
    """Finds the township of a row: township column, else address (the person's home is done in SQL)."""

    def __init__(self, county: Region) -> None:
        townships = list(Region.objects.active().within(county).filter(level=Level.TOWNSHIP))
        self.townships = townships
        self.by_name: dict[str, Region] = {}
        for t in townships:
            self.by_name[re.sub(r"\s", "", t.name)] = t
            self.by_name.setdefault(township_key(t.name), t)
        # Longest names first so 王助镇 wins over a shorter key contained in it.
        self.needles = sorted(
            ((k, t) for k, t in self.by_name.items() if len(k) >= 2), key=lambda kt: -len(kt[0])
        )
        self._column_cache: dict[str, Region | None] = {}

    def by_column(self, text: str) -> Region | None:
        if not text:
            return None
        if text in self._column_cache:
            return self._column_cache[text]
        compact = re.sub(r"\s", "", text)
        region = (
            self.by_name.get(compact) or self.by_name.get(township_key(compact)) or self.by_address(compact)
        )
        if len(self._column_cache) < 100_000:
            self._column_cache[text] = region
        return region

    def by_address(self, address: str) -> Region | None:
        if not address:
            return None
        for needle, region in self.needles:
            if needle in address:
                return region
        return None


class RowError(ValueError):
    pass


# Cells that say "no value" in a pushed list: the field is absent, not wrong.
PLACEHOLDERS = frozenset(
    [
        "暂无",
        "无",
        "空",
        "不详",
        "未知",
        "无号码",
        "-",
        "--",
        "—",
        "/",
        "\\",
        "0",
        "null",
        "none",
        "n/a",
        "na",
    ]
)


def is_placeholder(raw: str) -> bool:
    return raw.strip().lower() in PLACEHOLDERS


def check_id(raw: str, today: datetime.date) -> str:
    """The normalised number, or RowError with the lib rule's message."""
    try:
        return idnumbers.normalise(raw, today=today)
    except idnumbers.IdNumberError as exc:
        raise RowError(exc.message) from None


def check_phone(raw: str) -> str:
    """E.164, or RowError with the lib rule's message."""
    try:
        return phones.normalise(raw)
    except phones.PhoneError as exc:
        raise RowError(exc.message) from None


ARRIVAL_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?$"
)


def clean_arrival(raw: str) -> datetime.datetime | None:
    """An aware datetime (Beijing wall time) or None for blank; raises RowError for an impossible date."""
    if not raw:
        return None
    text = raw.strip()
    match = ARRIVAL_RE.match(text)
    parts: tuple[str | None, ...]
    if match:
        parts = match.groups()
    elif len(text) == 8 and text.isdigit():
        parts = (text[:4], text[4:6], text[6:8], None, None, None)
    else:
        raise RowError(_("The arrival time is not a date (use 2021-08-01 or 2021-08-01 10:30)."))
    try:
        return datetime.datetime(
            int(parts[0] or 0),
            int(parts[1] or 0),
            int(parts[2] or 0),
            int(parts[3] or 0),
            int(parts[4] or 0),
            int(parts[5] or 0),
            tzinfo=SHANGHAI,
        )
    except ValueError:
        raise RowError(_("The arrival time is an impossible date.")) from None


# COPY text format: these characters in a value must be escaped; None is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    return str(value).translate(_COPY_ESCAPES)


# The staging table: one row per good pushed row of the current chunk.
STAGE = "pushlists_import_stage"
STAGE_COLUMNS = [
    ("row_number", "integer"),
    ("row_key", "text"),
    ("name", "text"),
    ("doc", "text"),
    ("phone", "text"),
    ("township_id", "bigint"),
    ("method", "text"),
    ("raw_id", "text"),
    ("raw_phone", "text"),
    ("origin", "text"),
    ("arrival", "text"),
    ("arrived_at", "timestamp with time zone"),
    ("township_text", "text"),
    ("address", "text"),
    ("id_flag", "text"),
    ("phone_flag", "text"),
    ("arrival_flag", "text"),
    ("flag_note", "text"),
]
STAGE_NAMES = [name for name, _type in STAGE_COLUMNS]
ERROR_COLUMNS = ["batch_id", "row_number", "values", "reason"]
PLACEHOLDER, INVALID = FieldFlag.PLACEHOLDER.value, FieldFlag.INVALID.value


@dataclass
class ImportCounts:
    rows_total: int = 0
    rows_imported: int = 0
    rows_error: int = 0
    rows_unroutable: int = 0
    rows_flagged: int = 0
    people_matched: int = 0
    by_township: dict[str, int] = field(default_factory=dict)


class Importer:
    """One run over one sheet into one batch. Call `run()` outside a transaction: each chunk commits on
    its own, and the caller makes the batch visible with one short commit at the end."""

    def __init__(
        self,
        *,
        batch_id: int,
        county: Region,
        now: datetime.datetime,
        deadline_at: datetime.datetime,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.batch_id = batch_id
        self.county = county
        self.now = now
        # Datetime parameters as the backend stores them (SQLite: UTC text; PostgreSQL: aware values).
        adapt = connection.ops.adapt_datetimefield_value
        self.deadline_param = deadline_at if connection.vendor == "postgresql" else adapt(deadline_at)
        self.today = now.astimezone(SHANGHAI).date()
        self.router = TownshipRouter(county)
        self.progress = progress
        self.counts = ImportCounts()
        self.vendor = connection.vendor
        self.pg = self.vendor == "postgresql"
        start_ms = int(time.time() * 1000)
        self.uuid_prefix = f"{start_ms & ((1 << 48) - 1):012x}{int.from_bytes(os.urandom(2)):04x}"
        # raw arrival text → (datetime as the stage stores it, text for the row key), or the error message.
        self._arrivals: dict[str, tuple[Any, str] | str] = {}
        # Translated once: a lookup of the active translation costs more than validating a row.
        self.messages = {
            "long_name": _("The name is too long."),
            "no_identity": _("Neither a valid ID number nor a valid phone number is given."),
            "duplicate": _("The same person, arrival and origin as row %(row)d."),
            "id": _("ID number: %(reason)s"),
            "phone": _("Phone: %(reason)s"),
            "arrival": _("Arrival: %(reason)s"),
        }
        # 8-byte row key → first row number, for "the same row as row N". About 100 bytes an entry.
        self.seen_keys: dict[int, int] = {}
        self._restore: list[str] = []

    # --- the stream -------------------------------------------------------------------------------

    def run(self, sheet: Sheet) -> ImportCounts:
        # The import allocates millions of short-lived tuples. With the default threshold the cyclic
        # collector runs every 700 allocations, and its older-generation passes rescan every object of
        # the process (Django, the phone metadata): a large part of the Python time. Collect rarely, and
        # leave what existed before the import out of it; both are restored afterwards.
        threshold = gc.get_threshold()
        # Someone else's freeze (a pre-forking server's) must survive our unfreeze: only freeze if
        # nothing is frozen yet.
        freeze = gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
        try:
            self._open()
            try:
                self._stream(sheet)
                self._tally()
            finally:
                self._close()
        finally:
            gc.set_threshold(*threshold)
            if freeze:
                gc.unfreeze()
        return self.counts

    def _stream(self, sheet: Sheet) -> None:
        cols = sheet.columns
        keys = ("name", "id_number", "phone", "origin", "arrival", "township", "address")
        width = max(cols.values()) + 2
        # A missing column reads the padding cell past the last real one.
        idx = [cols.get(k, width - 1) for k in keys]
        i_name, i_id, i_phone, i_origin, i_arrival, i_town, i_address = idx
        pad = [""] * width
        chunk: list[tuple[int, list[str]]] = []
        append = chunk.append
        done = 0
        size = CHUNK if self.pg else min(CHUNK, SQLITE_CHUNK)
        for number, raw in sheet.rows:
            if len(raw) < width:
                raw = raw + pad[len(raw) :]  # short rows are padded once
            cells = [
                raw[i_name].strip(),
                raw[i_id].strip(),
                raw[i_phone].strip(),
                raw[i_origin].strip(),
                raw[i_arrival].strip(),
                raw[i_town].strip(),
                raw[i_address].strip(),
            ]
            if not (cells[0] or cells[1] or cells[2] or cells[3] or cells[4] or cells[5] or cells[6]):
                continue  # blank lines and trailing empty rows are not pushed rows
            append((number, cells))
            if len(chunk) >= size:
                done += len(chunk)
                self._chunk(chunk)
                chunk.clear()
                if self.progress:
                    self.progress(done, max(sheet.total, done))
        if chunk:
            done += len(chunk)
            self._chunk(chunk)
        if self.progress:
            self.progress(done, done)

    def _arrival(self, raw: str) -> tuple[Any, str] | str:
        """(stage value, row-key text) of an arrival cell, or the error message; cached, as a list
        repeats few distinct arrival times."""
        try:
            moment = clean_arrival(raw)
        except RowError as exc:
            found: tuple[Any, str] | str = str(exc)
        else:
            if moment is None:
                found = (None, "None")
            elif self.pg:
                found = (moment.isoformat(), str(moment))
            else:
                # What `adapt_datetimefield_value` stores on SQLite (naive UTC text), without its lookups.
                found = (str(moment.astimezone(datetime.UTC).replace(tzinfo=None)), str(moment))
        if len(self._arrivals) < 200_000:
            self._arrivals[raw] = found
        return found

    def _chunk(self, chunk: list[tuple[int, list[str]]]) -> None:
        """Validate one chunk: good rows become staging tuples (handed to `_load`), bad rows error rows.

        A row is rejected only when it identifies no one (neither a valid ID number nor a valid phone), or
        repeats an earlier row. A bad or absent secondary field (暂无 in the phone column beside a valid ID,
        a wrong check character beside a valid phone, an impossible arrival date) is flagged on the item.

        The hot loop of the import (a million turns): everything it looks up is a local.
        """
        good: list[tuple[Any, ...]] = []
        errors: list[tuple[Any, ...]] = []
        seen = self.seen_keys
        today = self.today
        by_column, by_address = self.router.by_column, self.router.by_address
        blake2b = hashlib.blake2b
        normalise_id, IdError = idnumbers.normalise, idnumbers.IdNumberError
        normalise_phone, PhoneError = phones.normalise, phones.PhoneError
        placeholders = PLACEHOLDERS
        arrivals = self._arrivals
        msg = self.messages
        batch_id = self.batch_id
        flagged = 0
        township_id: int | None
        # The common case of both rules over the whole column; None sends the value to the per-row rule.
        fast_ids = batchrules.normalise_ids([cells[1] for _number, cells in chunk], today=today)
        fast_phones = batchrules.normalise_mobiles([cells[2] for _number, cells in chunk])
        for (number, cells), fast_id, fast_phone in zip(chunk, fast_ids, fast_phones, strict=True):
            name, raw_id, raw_phone, origin, arrival, township_text, address = cells
            notes: list[str] = []
            doc = id_flag = ""
            if fast_id is not None:
                doc = fast_id
            elif raw_id:
                if raw_id.lower() in placeholders:
                    id_flag = PLACEHOLDER
                else:
                    try:
                        doc = normalise_id(raw_id, today=today)
                    except IdError as exc:
                        id_flag = INVALID
                        notes.append(msg["id"] % {"reason": exc.message})
            phone = phone_flag = ""
            if fast_phone is not None:
                phone = fast_phone
            elif raw_phone:
                if raw_phone.lower() in placeholders:
                    phone_flag = PLACEHOLDER
                else:
                    try:
                        phone = normalise_phone(raw_phone)
                    except PhoneError as exc:
                        phone_flag = INVALID
                        notes.append(msg["phone"] % {"reason": exc.message})
            try:
                if not doc and not phone:
                    raise RowError("; ".join([msg["no_identity"], *notes]))
                if len(name) > 100:
                    raise RowError(msg["long_name"])
                arrival_flag = ""
                if not arrival:
                    arrived_at, arrived_text = None, "None"
                else:
                    found = arrivals.get(arrival)
                    if found is None:
                        found = self._arrival(arrival)
                    if isinstance(found, str):
                        arrival_flag = INVALID
                        notes.append(msg["arrival"] % {"reason": found})
                        arrived_at, arrived_text = None, arrival
                    else:
                        arrived_at, arrived_text = found
                identity = doc or f"{name}|{phone}"
                digest = blake2b(f"{identity}|{arrived_text}|{origin}".encode(), digest_size=16).digest()
                short = int.from_bytes(digest[:8])
                first_row = seen.get(short)
                if first_row is not None:
                    raise RowError(msg["duplicate"] % {"row": first_row})
            except RowError as exc:
                errors.append((batch_id, number, "\t".join(cells), str(exc)))
                continue
            seen[short] = number
            if id_flag or phone_flag or arrival_flag:
                flagged += 1
            township = by_column(township_text) if township_text else None
            if township is not None:
                township_id, method = township.id, BY_COLUMN
            else:
                township = by_address(address) if address else None
                township_id, method = (township.id, BY_ADDRESS) if township is not None else (None, "")
            good.append(
                (
                    number,
                    digest.hex(),
                    name,
                    doc,
                    phone,
                    township_id,
                    method,
                    raw_id[:40],
                    raw_phone[:40],
                    origin[:200],
                    arrival[:40],
                    arrived_at,
                    township_text[:100],
                    address[:200],
                    id_flag,
                    phone_flag,
                    arrival_flag,
                    "; ".join(notes)[:300],
                )
            )
        # One short transaction per chunk: another user's write waits for one chunk at most.
        with transaction.atomic():
            self._write(PushErrorRow._meta.db_table, ERROR_COLUMNS, errors)
            if good:
                self._load(good)
        self.counts.rows_total += len(chunk)
        self.counts.rows_error += len(errors)
        self.counts.rows_flagged += flagged

    # --- the set work ----------------------------------------------------------------------------

    def _load(self, good: list[tuple[Any, ...]]) -> None:
        """Stage one chunk's good rows and insert their items, each with its matching person (if any)."""
        stage = STAGE
        person = connection.ops.quote_name(Person._meta.db_table)
        self._write(stage, STAGE_NAMES, good, clear=True)
        # Scalar subqueries: one index probe per row (document_number, else phone), whatever the planner
        # thinks of the tables' statistics. The oldest active person with that phone and name, as
        # matching by hand would pick.
        by_doc = (
            f"SELECT p.id FROM {person} p WHERE p.is_active AND p.document_type = '{RESIDENT_ID}'"  # noqa: S608
            f" AND p.document_number = {stage}.doc LIMIT 1"
        )
        by_phone = (
            f"SELECT p.id FROM {person} p WHERE p.is_active AND p.phone = {stage}.phone"  # noqa: S608
            f" AND p.name = {stage}.name ORDER BY p.id LIMIT 1"
        )
        match = (
            f"CASE WHEN {stage}.doc <> '' THEN ({by_doc})"
            f" WHEN {stage}.phone <> '' AND {stage}.name <> '' THEN ({by_phone}) END"
        )
        with connection.cursor() as cursor:
            self._insert_items(cursor, match)
        self.counts.rows_imported += len(good)

    def _insert_items(self, cursor: Any, match: str) -> None:
        """Insert the staged rows as items (the people matched are counted once, by `_tally`)."""
        qn = connection.ops.quote_name
        item, person, region = (qn(m._meta.db_table) for m in (PushItem, Person, Region))
        township_ids = ", ".join(str(int(t.pk)) for t in self.router.townships) or "NULL"
        # An OFFSET keeps both databases from flattening the subqueries, which would evaluate the
        # person match once per use of its result instead of once per row.
        fence = " OFFSET 0" if self.pg else " LIMIT -1 OFFSET 0"
        # The person's home township: the county's township whose path starts the person's region path.
        home = (
            f"(SELECT t.id FROM {person} p JOIN {region} r ON r.id = p.region_id"  # noqa: S608
            f" JOIN {region} t ON t.id IN ({township_ids}) AND substr(r.path, 1, length(t.path)) = t.path"
            f" WHERE p.id = y.person_id LIMIT 1)"
        )
        cursor.execute(
            f"INSERT INTO {item} (uuid, batch_id, row_number, row_key, name, id_number, phone,"  # noqa: S608
            " document_number, phone_e164, id_flag, phone_flag, arrival_flag, flag_note, origin,"
            " arrival, arrived_at, township_text, address, person_id, region_id, route_method, deadline_at,"
            " outcome, outcome_note, measure_code)"
            f" SELECT {self._uuid_sql()}, %s, row_number, row_key, name, raw_id, raw_phone, doc, phone,"
            " id_flag, phone_flag, arrival_flag, flag_note, origin, arrival, arrived_at,"
            " township_text, address, person_id, COALESCE(township_id, home_id, %s),"
            " CASE WHEN township_id IS NOT NULL THEN method WHEN home_id IS NOT NULL THEN %s ELSE '' END,"
            " %s, '', '', ''"
            f" FROM (SELECT y.*, CASE WHEN y.township_id IS NULL AND y.person_id IS NOT NULL THEN {home} END"
            f" AS home_id FROM (SELECT {STAGE}.*, {match} AS person_id FROM {STAGE}{fence}) y{fence}) x",
            [self.batch_id, self.county.pk, HOME, self.deadline_param],
        )

    def _tally(self) -> None:
        """Per-township counts, the county queue and the people matched, from the items just written (one
        indexed scan, instead of a count after every chunk)."""
        table = connection.ops.quote_name(PushItem._meta.db_table)
        codes = {t.pk: t.code for t in self.router.townships}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT region_id, count(*), count(person_id) FROM {table} WHERE batch_id = %s"  # noqa: S608
                " GROUP BY region_id",
                [self.batch_id],
            )
            for region_id, count, matched in cursor.fetchall():
                self.counts.people_matched += matched
                if region_id in codes:
                    self.counts.by_township[codes[region_id]] = count
                else:
                    self.counts.rows_unroutable += count

    # --- database plumbing -------------------------------------------------------------------------

    def _open(self) -> None:
        with connection.cursor() as cursor:
            if self.pg:
                # ON COMMIT DELETE ROWS: each chunk fills and reads it inside its own transaction.
                columns = ", ".join(f"{n} {t}" for n, t in STAGE_COLUMNS)
                cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
                cursor.execute(f"CREATE TEMP TABLE {STAGE} ({columns}) ON COMMIT DELETE ROWS")
            else:
                cursor.execute("PRAGMA cache_size")
                self._restore.append(f"PRAGMA cache_size = {int(cursor.fetchone()[0])}")
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
                columns = ", ".join(n for n, _t in STAGE_COLUMNS)
                cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
                cursor.execute(f"CREATE TEMP TABLE {STAGE} ({columns})")

    def _close(self) -> None:
        if self.pg and connection.needs_rollback:
            return  # inside a broken outer transaction (tests): the table goes with its rollback
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            # A pragma outlives the transaction on a persistent connection: restore the cache size.
            for statement in self._restore:
                cursor.execute(statement)

    def _uuid_sql(self) -> str:
        """An SQL expression for the uuid of a row made from a staging row, in ascending order.

        Random uuids scatter a million inserts over the whole unique index, which then no longer fits
        in the cache; ordered ones append. 48 bits of the start time and 16 random bits fixed for the
        import, 32 bits of row number, 32 random bits per row: not guessable, and unique even for two
        imports started in the same millisecond. (SQLite stores the 32 hex digits.)
        """
        prefix = self.uuid_prefix
        if self.pg:
            return (
                f"('{prefix}' || lpad(to_hex(row_number), 8, '0')"
                " || lpad(to_hex((random() * 4294967295)::bigint), 8, '0'))::uuid"
            )
        # `%%`: the statement runs with parameters, where a literal percent sign is doubled.
        return f"('{prefix}' || printf('%%08x', row_number) || lower(hex(randomblob(4))))"

    def _write(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, clear: bool = False
    ) -> None:
        """Append rows to a table: one COPY of one text buffer (PostgreSQL) or one executemany (SQLite)."""
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            if clear:
                cursor.execute(f"DELETE FROM {table}" if not self.pg else f"TRUNCATE {table}")  # noqa: S608
            if not rows:
                return
            cols = ", ".join(qn(c) for c in columns)
            if self.pg:
                buffer = "".join(_copy_line(row) for row in rows)
                with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                    copy.write(buffer)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})", rows)  # noqa: S608


def _copy_line(row: Sequence[Any]) -> str:
    line = "\t".join(["\\N" if v is None else str(v) for v in row])
    # Every backslash must be one of the \N written for None; more means a value holds one.
    if (
        line.count("\\") != row.count(None)
        or "\n" in line
        or "\r" in line
        or line.count("\t") != len(row) - 1
    ):
        # Rare: a value with a tab, newline or backslash; escape value by value.
        line = "\t".join(copy_text(v) for v in row)
    return line + "\n"


def masked(values: Iterable[str]) -> list[str]:
    """Mask anything that looks like an ID number in a raw row (for the error file)."""
    return [mask_document(v) if len(v) >= 15 and v[:6].isdigit() else v for v in values]
