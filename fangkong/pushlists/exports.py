"""The two files a batch gives back: the error file (one row per rejected row, with the reason) and the
feedback file for the data centre (one row per pushed row, with outcome and time). Both XLSX, written by the
one export writer (`lib.exports`: streaming, formulas neutralised); personal numbers are masked as everywhere
else."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fangkong.lib import phones
from fangkong.lib.exports import Stamp, XlsxWriter
from fangkong.lib.masking import mask_document, mask_phone
from fangkong.pushlists.importer import ARRIVAL_RE
from fangkong.pushlists.models import Outcome, PushBatch, PushErrorRow, PushItem
from fangkong.regions.models import Region

# A number as people type it: digits with spaces, dashes or brackets between them, a leading `+`, and
# the X check character of an ID number.
_NUMBER_RUN = re.compile(r"\+?\d(?:[\s\-\u2010-\u2015()\uff08\uff09]*\d)*[Xx]?")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")


def _mask_number(run: str) -> str:
    compact = _NOT_DIGIT.sub("", run)
    if len(compact) >= 15 and compact[:6].isdigit():
        return mask_document(compact.upper())
    if len(compact) < 7:
        return run
    try:
        return mask_phone(phones.normalise(run))
    except phones.PhoneError:
        pass
    # Not a number phonenumbers knows (a typo, a local number without its area code): keep the first 3
    # and last 4 characters like a mobile, but always hide at least 3 so a short number is not shown whole.
    head = min(3, len(compact) - 7)
    return compact[:head] + "*" * (len(compact) - head - 4) + compact[-4:]


def _mask_cell(value: str) -> str:
    """`value` with every phone or ID number in it masked, however it was spelled.

    The import accepts `139-0000-0000`, `+86 139 0000 0000`, `86-13900000000` and the like and the items
    keep the number as pushed, so an exact-format check is not enough. Arrival dates stay readable: the
    error file must show why a date was refused.
    """
    if not value or ARRIVAL_RE.match(value.strip()):
        return value
    return _NUMBER_RUN.sub(lambda match: _mask_number(match.group()), value)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def write_errors(batch: PushBatch, out: IO[bytes], *, stamp: Stamp | None = None) -> int:
    writer = XlsxWriter(stamp)
    sheet = writer.sheet(_("Errors"), [_("Row"), _("Reason"), _("Values (masked)")])
    for number, values, reason in (
        PushErrorRow.objects.filter(batch=batch)
        .order_by("row_number")
        .values_list("row_number", "values", "reason")
        .iterator(chunk_size=5000)
    ):
        writer.append(sheet, [number, reason, " | ".join(_mask_cell(v) for v in values.split("\t"))])
    return writer.save(out)


def write_feedback(
    batch: PushBatch,
    items: QuerySet[PushItem],
    out: IO[bytes],
    *,
    include_errors: bool,
    stamp: Stamp | None = None,
) -> int:
    """`items` is the caller's scoped queryset of the batch's items; rejected rows join for the importer."""
    from fangkong.screening.measures import measure_choices

    measures = dict(measure_choices())
    labels = dict(Outcome.choices)
    names = {r.pk: r.name for r in Region.objects.within(batch.region)}
    writer = XlsxWriter(stamp)
    sheet = writer.sheet(
        _("Feedback"),
        [
            _("Row"),
            _("Row key"),
            _("Name"),
            _("ID number"),
            _("Phone"),
            _("Verified by unit"),
            _("Outcome"),
            _("Note"),
            _("Control measure"),
            _("Verified at"),
            _("Verify by"),
            pgettext("push item verified after its deadline", "Late"),
            _("Flagged fields"),
            _("In the registry"),
        ],
    )
    rows = (
        items.order_by("row_number")
        .values_list(
            "row_number",
            "row_key",
            "name",
            "id_number",
            "phone",
            "region_id",
            "outcome",
            "outcome_note",
            "measure_code",
            "verified_at",
            "deadline_at",
            "flag_note",
            "id_flag",
            "phone_flag",
            "arrival_flag",
            "person_id",
        )
        .iterator(chunk_size=5000)
    )

    def item_rows() -> Iterator[tuple[int, list[Any]]]:
        for (
            number,
            key,
            name,
            id_number,
            phone,
            region_id,
            outcome,
            note,
            measure,
            verified,
            deadline,
            flag_note,
            *flags,
            person_id,
        ) in rows:
            late = bool(verified and verified > deadline)
            yield (
                number,
                [
                    number,
                    key,
                    name,
                    _mask_cell(id_number),
                    _mask_cell(phone),
                    names.get(region_id, ""),
                    str(labels.get(outcome, pgettext("push item", "Pending"))),
                    note,
                    measures.get(measure, measure),
                    _local(verified),
                    _local(deadline),
                    _("yes") if late else "",
                    _mask_cell(flag_note) or (_("not given") if any(flags) else ""),
                    _("yes") if person_id else "",
                ],
            )

    def error_rows() -> Iterator[tuple[int, list[Any]]]:
        if not include_errors:
            return
        for number, reason in (
            PushErrorRow.objects.filter(batch=batch)
            .order_by("row_number")
            .values_list("row_number", "reason")
            .iterator(chunk_size=5000)
        ):
            yield number, [number, "", "", "", "", "", _("Invalid row"), reason, "", "", "", "", "", ""]

    for _number, row in heapq.merge(item_rows(), error_rows(), key=lambda pair: pair[0]):
        writer.append(sheet, row)
    return writer.save(out)
