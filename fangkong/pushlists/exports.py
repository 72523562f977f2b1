"""The two files a batch gives back: the error file (one row per rejected row, with the reason) and the
feedback file for the data centre (one row per pushed row, with outcome and time). Both XLSX, written in
openpyxl's streaming mode; personal numbers are masked as everywhere else."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from fangkong.lib.masking import mask_document, mask_phone
from fangkong.pushlists.models import Outcome, PushBatch, PushErrorRow, PushItem
from fangkong.regions.models import Region


def _mask_cell(value: str) -> str:
    if len(value) >= 15 and value[:6].isdigit():
        return mask_document(value)
    if len(value) == 11 and value.isdigit():
        return mask_phone("+86" + value)
    return value


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def write_errors(batch: PushBatch, out: IO[bytes]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    sheet.append([_("Row"), _("Reason"), _("Values (masked)")])
    count = 0
    for number, values, reason in (
        PushErrorRow.objects.filter(batch=batch)
        .order_by("row_number")
        .values_list("row_number", "values", "reason")
        .iterator(chunk_size=5000)
    ):
        sheet.append([number, reason, " | ".join(_mask_cell(v) for v in values.split("\t"))])
        count += 1
    workbook.save(out)
    return count


def write_feedback(
    batch: PushBatch, items: QuerySet[PushItem], out: IO[bytes], *, include_errors: bool
) -> int:
    """`items` is the caller's scoped queryset of the batch's items; rejected rows join for the importer."""
    from fangkong.screening.measures import measure_choices

    measures = dict(measure_choices())
    labels = dict(Outcome.choices)
    names = {r.pk: r.name for r in Region.objects.filter(path__startswith=batch.region.path)}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Feedback"))
    sheet.append(
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
        ]
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
            yield number, [number, "", "", "", "", "", _("Invalid row"), reason, "", "", "", ""]

    count = 0
    for _number, row in heapq.merge(item_rows(), error_rows(), key=lambda pair: pair[0]):
        sheet.append(row)
        count += 1
    workbook.save(out)
    return count
