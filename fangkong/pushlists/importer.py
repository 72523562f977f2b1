"""The bulk path of a push-list import: validate rows, match or create people, route, load in bulk.

Rows are streamed and handled in chunks; each chunk is validated in Python, matched against people with
two indexed IN queries, and loaded with one executemany (SQLite) or COPY (PostgreSQL) per table. No
per-row ORM saves. The caller wraps the whole run in one transaction, so a batch is all or nothing.

Validation reuses the rules of `fangkong.lib.idnumbers` and `fangkong.lib.phones`; the common cases (an
18-character ID, an 11-digit mobile) take a fast path with the same outcome, anything else goes through
the full functions, which also supply the error messages.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext as _
from stdnum.cn import ric

from fangkong.lib import idnumbers, phones
from fangkong.lib.masking import mask_document
from fangkong.lib.names import full_pinyin, initials
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.people.models import DocumentType, Person, Sex
from fangkong.pushlists.models import PushErrorRow, PushItem, RouteMethod
from fangkong.pushlists.reading import Sheet
from fangkong.regions.models import Level, Region

CHUNK = 5000
BY_COLUMN, BY_ADDRESS, HOME = (
    RouteMethod.TOWNSHIP_COLUMN.value,
    RouteMethod.ADDRESS.value,
    RouteMethod.HOME_REGION.value,
)
TOWNSHIP_SUFFIXES = ("办事处", "街道", "镇", "乡", "办")
ProgressCallback = Callable[[int, int], None]


def township_key(name: str) -> str:
    """王助镇 → 王助, 皇甫街道 / 皇甫办 → 皇甫: the part people write without the kind of unit."""
    name = re.sub(r"\s", "", name)
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class TownshipRouter:
    """Finds the township of a row: township column, else address, else the person's home region."""

    def __init__(self, county: Region) -> None:
        townships = list(Region.objects.active().filter(level=Level.TOWNSHIP, path__startswith=county.path))
        self.by_code = {t.code: t for t in townships}
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
        self._column_cache[text] = region
        return region

    def by_address(self, address: str) -> Region | None:
        if not address:
            return None
        for needle, region in self.needles:
            if needle in address:
                return region
        return None

    def by_path(self, path: str) -> Region | None:
        parts = path.split("/")
        return self.by_code.get(parts[2]) if len(parts) > 3 else None


class RowError(ValueError):
    pass


def _mainland_mobile_pattern() -> re.Pattern[str]:
    from phonenumbers.phonemetadata import PhoneMetadata

    metadata = PhoneMetadata.metadata_for_region("CN")
    pattern = metadata.mobile.national_number_pattern if metadata and metadata.mobile else None
    return re.compile(pattern or r"(?!)")


# phonenumbers' own pattern for CN mobiles: a number that matches it is valid, so the common case skips
# the (slow) full parse; anything else goes through `phones.normalise`.
_MOBILE = _mainland_mobile_pattern()


def clean_phone(raw: str) -> str:
    """E.164 or ""; raises RowError."""
    if not raw:
        return ""
    if len(raw) == 11 and _MOBILE.fullmatch(raw):
        return "+86" + raw
    try:
        return phones.normalise(raw)
    except phones.PhoneError as exc:
        raise RowError(exc.message) from None


_PROVINCES = idnumbers.PROVINCE_PREFIXES


def clean_id(raw: str, today: datetime.date) -> tuple[str, str | None, str]:
    """(number, birth date ISO, sex) or RowError; the same rules as `idnumbers.parse`."""
    if (
        len(raw) == 18
        and raw[:17].isdigit()
        and (raw[17].isdigit() or raw[17] in "Xx")
        and raw[:2] in _PROVINCES
    ):
        number = raw.upper()
        if number[17] == ric.calc_check_digit(number):
            try:
                birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            except ValueError:
                birth = None
            if birth is not None and birth.year >= 1880 and birth <= today:
                return number, birth.isoformat(), "M" if int(number[16]) % 2 else "F"
    try:
        parsed = idnumbers.parse(raw, today=today)
    except idnumbers.IdNumberError as exc:
        raise RowError(exc.message) from None
    return parsed.number, parsed.birth_date.isoformat(), parsed.sex


_ARRIVAL_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?$"
)
_arrival_cache: dict[str, datetime.datetime | None] = {}


def clean_arrival(raw: str) -> datetime.datetime | None:
    """An aware datetime (Beijing wall time) or None for blank; raises RowError for an impossible date."""
    if not raw:
        return None
    if raw in _arrival_cache:
        return _arrival_cache[raw]
    text = raw.strip()
    match = _ARRIVAL_RE.match(text)
    parts: tuple[str | None, ...]
    if match:
        parts = match.groups()
    elif len(text) == 8 and text.isdigit():
        parts = (text[:4], text[4:6], text[6:8], None, None, None)
    else:
        raise RowError(_("The arrival time is not a date (use 2021-08-01 or 2021-08-01 10:30)."))
    try:
        moment = datetime.datetime(
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
    if len(_arrival_cache) < 200_000:
        _arrival_cache[raw] = moment
    return moment


_char_pinyin: dict[str, tuple[str, str]] = {}


def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name, built from cached per-character readings.

    Converting whole names with pypinyin costs ~0.2 ms each; a pushed list has a few thousand distinct
    characters but up to a million names. Names with non-Chinese characters use the full functions.
    """
    parts = []
    for char in name:
        keys = _char_pinyin.get(char)
        if keys is None:
            if not "\u4e00" <= char <= "\u9fff":
                return initials(name), full_pinyin(name)
            keys = (initials(char), full_pinyin(char))
            _char_pinyin[char] = keys
        parts.append(keys)
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


def ordered_uuid_hex(start_ms: int, counter: int) -> str:
    """A UUIDv7-layout identifier that grows with `counter`, so bulk inserts append to the index.

    48 bits of time, a 32-bit counter and 42 random bits: still not guessable, but inserted in order.
    """
    value = (
        (start_ms & ((1 << 48) - 1)) << 80
        | 0x7 << 76
        | ((counter >> 20) & 0xFFF) << 64
        | 0b10 << 62
        | (counter & 0xFFFFF) << 42
        | secrets.randbits(42)
    )
    return f"{value:032x}"


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(n).column) for n in names]  # type: ignore[union-attr]


PERSON_FIELDS = [
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
    "region",
    "is_active",
    "created_at",
    "updated_at",
    "created_by",
]
ITEM_FIELDS = [
    "uuid",
    "batch",
    "row_number",
    "row_key",
    "name",
    "id_number",
    "phone",
    "origin",
    "arrival",
    "arrived_at",
    "township_text",
    "address",
    "person",
    "region",
    "route_method",
    "deadline_at",
    "outcome",
    "outcome_note",
    "measure_code",
]
ERROR_FIELDS = ["batch", "row_number", "values", "reason"]


class BulkWriter:
    """Appends rows to a table with executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, model: type[Model], fields: Sequence[str]) -> None:
        self.table = model._meta.db_table
        self.columns = _columns(model, fields)
        self.vendor = connection.vendor

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {qn(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {qn(self.table)} ({cols}) VALUES ({marks})", rows)  # noqa: S608


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, reserved before a bulk load so items can point at them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the import holds the write lock for its whole transaction, so max(id) is stable.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


@dataclass
class ImportCounts:
    rows_total: int = 0
    rows_imported: int = 0
    rows_error: int = 0
    rows_unroutable: int = 0
    people_created: int = 0
    people_matched: int = 0
    by_township: dict[str, int] = field(default_factory=dict)


@dataclass
class _Good:
    number: int
    key: str
    cells: list[str]
    name: str
    doc: str
    birth: str | None
    sex: str
    phone: str
    arrived_at: datetime.datetime | None
    township: Region | None
    method: str


class Importer:
    """One run over one sheet into one batch. Call `run()` inside a transaction."""

    def __init__(
        self,
        *,
        batch_id: int,
        county: Region,
        actor_id: int | None,
        now: datetime.datetime,
        deadline_at: datetime.datetime,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.batch_id = batch_id
        self.county = county
        self.actor_id = actor_id
        self.now = now
        self.today = now.astimezone(SHANGHAI).date()
        self.router = TownshipRouter(county)
        self.progress = progress
        self.counts = ImportCounts()
        self.vendor = connection.vendor
        self.people = BulkWriter(Person, PERSON_FIELDS)
        self.items = BulkWriter(PushItem, ITEM_FIELDS)
        self.errors = BulkWriter(PushErrorRow, ERROR_FIELDS)
        self.now_param = self._dt(now)
        self.deadline_param = self._dt(deadline_at)
        self.start_ms = int(time.time() * 1000)
        self.uuid_counter = 0
        self._arrival_params: dict[datetime.datetime, Any] = {}
        self.seen_keys: dict[int, int] = {}  # 8-byte row key → first row number (duplicates in the file)

    def _dt(self, value: datetime.datetime | None) -> Any:
        if value is None:
            return None
        if self.vendor == "postgresql":
            return value.isoformat()
        return connection.ops.adapt_datetimefield_value(value)

    def _arrival_param(self, value: datetime.datetime | None) -> Any:
        if value is None:
            return None
        param = self._arrival_params.get(value)
        if param is None:
            param = self._dt(value)
            if len(self._arrival_params) < 200_000:
                self._arrival_params[value] = param
        return param

    def _uuid(self) -> str:
        self.uuid_counter += 1
        return ordered_uuid_hex(self.start_ms, self.uuid_counter)

    def run(self, sheet: Sheet) -> ImportCounts:
        if self.vendor == "postgresql":
            # The people table grows inside this one transaction, where statistics are not refreshed; the
            # planner would keep seq-scanning it for the matching queries (quadratic over a million rows).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        cols = sheet.columns
        idx = [
            cols.get(k, -1)
            for k in ("name", "id_number", "phone", "origin", "arrival", "township", "address")
        ]
        chunk: list[tuple[int, list[str]]] = []
        done = 0
        for number, raw in sheet.rows:
            width = len(raw)
            cells = [raw[i].strip() if 0 <= i < width else "" for i in idx]
            if not any(cells):
                continue  # blank lines and trailing empty rows are not pushed rows
            chunk.append((number, cells))
            if len(chunk) >= CHUNK:
                done += len(chunk)
                self._chunk(chunk)
                chunk = []
                if self.progress:
                    self.progress(done, max(sheet.total, done))
        if chunk:
            done += len(chunk)
            self._chunk(chunk)
        if self.progress:
            self.progress(done, done)
        return self.counts

    def _validate(self, number: int, cells: list[str]) -> _Good:
        name, raw_id, raw_phone, origin, arrival, township_text, address = cells
        doc, birth, sex = "", None, Sex.UNKNOWN.value
        if raw_id:
            doc, birth, sex = clean_id(raw_id, self.today)
        phone = clean_phone(raw_phone)
        if not name:
            raise RowError(_("The name is missing."))
        if len(name) > 100:
            raise RowError(_("The name is too long."))
        if not doc and not phone:
            raise RowError(_("Neither an ID number nor a phone number is given."))
        arrived_at = clean_arrival(arrival)
        identity = doc or f"{name}|{phone}"
        digest = hashlib.blake2b(f"{identity}|{arrived_at}|{origin}".encode(), digest_size=16).digest()
        short = int.from_bytes(digest[:8], "big")
        first = self.seen_keys.get(short)
        if first is not None:
            raise RowError(_("The same person, arrival and origin as row %(row)d.") % {"row": first})
        self.seen_keys[short] = number
        township = self.router.by_column(township_text)
        method = BY_COLUMN if township else ""
        if township is None:
            township = self.router.by_address(address)
            method = BY_ADDRESS if township else ""
        return _Good(number, digest.hex(), cells, name, doc, birth, sex, phone, arrived_at, township, method)

    def _chunk(self, chunk: list[tuple[int, list[str]]]) -> None:
        good: list[_Good] = []
        errors: list[tuple[Any, ...]] = []
        for number, cells in chunk:
            self.counts.rows_total += 1
            try:
                good.append(self._validate(number, cells))
            except RowError as exc:
                errors.append((self.batch_id, number, "\t".join(cells), str(exc)))
        self.counts.rows_error += len(errors)
        self.errors.write(errors)
        if good:
            self._load(good)

    def _match(
        self, good: list[_Good]
    ) -> tuple[dict[str, tuple[int, str]], dict[tuple[str, str], tuple[int, str]]]:
        """Existing active people by document number, and by (phone, name) for rows without one."""
        docs = list({g.doc for g in good if g.doc})
        by_doc: dict[str, tuple[int, str]] = {}
        person, region = Person._meta.db_table, Region._meta.db_table
        with connection.cursor() as cursor:
            if docs:
                # Raw SQL: building 5,000 ORM lookup parameters costs more than the query itself.
                marks = ", ".join(["%s"] * len(docs))
                cursor.execute(
                    f"SELECT p.id, p.document_number, r.path FROM {person} p JOIN {region} r ON r.id = p.region_id "  # noqa: S608
                    f"WHERE p.is_active AND p.document_type = %s AND p.document_number IN ({marks})",
                    [DocumentType.RESIDENT_ID.value, *docs],
                )
                for pk, number, path in cursor.fetchall():
                    by_doc[number] = (pk, path)
            phones_needed = list({g.phone for g in good if not g.doc and g.phone})
            by_phone: dict[tuple[str, str], tuple[int, str]] = {}
            if phones_needed:
                marks = ", ".join(["%s"] * len(phones_needed))
                cursor.execute(
                    f"SELECT p.id, p.phone, p.name, r.path FROM {person} p JOIN {region} r ON r.id = p.region_id "  # noqa: S608
                    f"WHERE p.is_active AND p.phone IN ({marks}) ORDER BY p.id",
                    phones_needed,
                )
                for pk, phone, name, path in cursor.fetchall():
                    by_phone.setdefault((phone, name), (pk, path))
        return by_doc, by_phone

    def _load(self, good: list[_Good]) -> None:
        by_doc, by_phone = self._match(good)
        person_of: list[int] = []
        new_people: list[_Good] = []
        new_index: dict[
            str | tuple[str, str], int
        ] = {}  # within this chunk: identity → position in new_people
        pending: list[int] = []  # rows whose person is created below: position in new_people
        for g in good:
            found = by_doc.get(g.doc) if g.doc else by_phone.get((g.phone, g.name))
            if found is not None:
                self.counts.people_matched += 1
                person_of.append(found[0])
                pending.append(-1)
                if g.township is None:
                    g.township = self.router.by_path(found[1])
                    g.method = HOME if g.township else ""
                continue
            identity: str | tuple[str, str] = g.doc or (g.phone, g.name)
            position = new_index.get(identity)
            if position is None:
                position = len(new_people)
                new_index[identity] = position
                new_people.append(g)
            else:
                self.counts.people_matched += 1
            person_of.append(0)
            pending.append(position)
        ids = allocate_ids(Person, len(new_people)) if new_people else []
        people_rows = []
        for pk, g in zip(ids, new_people, strict=True):
            initials_key, pinyin_key = pinyin_keys(g.name)
            people_rows.append(
                (
                    pk,
                    self._uuid(),
                    g.name,
                    initials_key,
                    pinyin_key,
                    DocumentType.RESIDENT_ID.value,
                    g.doc,
                    g.sex,
                    g.birth,
                    g.phone,
                    g.cells[6][:200],
                    (g.township or self.county).pk,
                    True,
                    self.now_param,
                    self.now_param,
                    self.actor_id,
                )
            )
        self.people.write(people_rows)
        self.counts.people_created += len(people_rows)
        item_rows = []
        for g, person_id, position in zip(good, person_of, pending, strict=True):
            if position >= 0:
                person_id = ids[position]
            region = g.township or self.county
            if g.township is None:
                self.counts.rows_unroutable += 1
            else:
                self.counts.by_township[g.township.code] = self.counts.by_township.get(g.township.code, 0) + 1
            name, raw_id, raw_phone, origin, arrival, township_text, address = g.cells
            item_rows.append(
                (
                    self._uuid(),
                    self.batch_id,
                    g.number,
                    g.key,
                    name[:100],
                    raw_id[:40],
                    raw_phone[:40],
                    origin[:200],
                    arrival[:40],
                    self._dt(g.arrived_at),
                    township_text[:100],
                    address[:200],
                    person_id,
                    region.pk,
                    g.method,
                    self.deadline_param,
                    "",
                    "",
                    "",
                )
            )
        self.items.write(item_rows)
        self.counts.rows_imported += len(item_rows)


def masked(values: Iterable[str]) -> list[str]:
    """Mask anything that looks like an ID number in a raw row (for the error file)."""
    return [mask_document(v) if len(v) >= 15 and v[:6].isdigit() else v for v in values]
