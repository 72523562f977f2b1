"""FHIR R4 plumbing shared by the apps that publish resources (people → Patient, testing → Observation,
vaccination → Immunization; served by the interop app at /api/v1/fhir/).

Every resource is a plain dict made by its app and passed through its R4B model's `model_validate` (`validated`),
so an invalid resource fails loudly instead of reaching a partner system. Personal numbers follow the platform's
rule: masked (with the standard `data-absent-reason` extension, code `masked`) unless the caller may see them in
full, and then the reveal is audited like any other.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource

DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
MASKED = [{"url": DATA_ABSENT, "valueCode": "masked"}]
MAX_COUNT = 200
DEFAULT_COUNT = 50


def validated(model: type[Resource], data: dict[str, Any]) -> dict[str, Any]:
    """`data` checked against the R4B model, as the JSON the model itself writes."""
    out: dict[str, Any] = model.model_validate(data).model_dump(mode="json", exclude_none=True)
    return out


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The last id of the previous page; 0 for a missing or unreadable cursor (the first page)."""
    if not cursor:
        return 0
    try:
        value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return max(int(value), 0)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return 0


def clamp_count(count: int | None) -> int:
    return max(1, min(count or DEFAULT_COUNT, MAX_COUNT))


def searchset(
    base_url: str,
    self_url: str,
    rows: Iterable[Any],
    build: Callable[[Any], dict[str, Any]],
    *,
    count: int,
    next_url: Callable[[str], str],
    key: Callable[[Any], int] = lambda row: int(row.pk),
) -> dict[str, Any]:
    """A `searchset` Bundle of one page: `rows` holds up to count + 1 records in key order; the extra one only
    says that a `next` link is due (no total: a page never counts the whole table)."""
    page = list(rows)
    more = len(page) > count
    page = page[:count]
    entries = []
    for row in page:
        resource = build(row)
        entries.append(
            {
                "fullUrl": f"{base_url}{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
        )
    links = [{"relation": "self", "url": self_url}]
    if more and page:
        links.append({"relation": "next", "url": next_url(encode_cursor(key(page[-1])))})
    return validated(Bundle, {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries})


def outcome(code: str, text: str) -> dict[str, Any]:
    """An OperationOutcome for an error answer, its text in the user's language."""
    return validated(
        OperationOutcome,
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": text}],
        },
    )
