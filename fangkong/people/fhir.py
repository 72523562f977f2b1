"""A person as a FHIR R4 Patient (served by the interop app at /api/v1/fhir/Patient)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.patient import Patient

from fangkong.lib.fhir import MASKED, validated
from fangkong.people.models import DocumentType, Person, Sex

# 居民身份证号 as the WS/T 500 CDA templates name it (no mainland FHIR profile exists).
ID_NUMBER_SYSTEM = "urn:oid:2.16.156.10011.1.3"
GENDER: dict[str, str] = {Sex.MALE: "male", Sex.FEMALE: "female"}


def reference(person: Person) -> dict[str, str]:
    return {"reference": f"Patient/{person.uuid}", "display": person.name}


def patient(person: Person, revealed: dict[str, Any] | None = None) -> dict[str, Any]:
    """A person as a Patient: the ID number and phone masked unless `revealed` holds them (audited by the
    caller), the birth date then too — without it only the year, which the masked number shows as well."""
    identifier: dict[str, Any] = {"use": "official"}
    if person.document_type == DocumentType.RESIDENT_ID:
        identifier["system"] = ID_NUMBER_SYSTEM
    else:  # a passport or permit: no national system to name, its kind as text
        identifier["type"] = {"text": str(person.get_document_type_display())}
    telecom: list[dict[str, Any]] = []
    if revealed:
        identifier["value"] = revealed["document_number"]
        if revealed.get("phone"):
            telecom.append({"system": "phone", "value": revealed["phone"], "use": "mobile"})
        birth = revealed.get("birth_date")
        birth_date = birth.isoformat() if birth else None
    else:
        identifier |= {"value": person.masked_document, "extension": MASKED}
        if person.phone:
            telecom.append({"system": "phone", "value": person.masked_phone, "extension": MASKED})
        birth_date = str(person.birth_year) if person.birth_year else None
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.uuid),
        "meta": {"versionId": str(person.version)},
        "identifier": [identifier] if person.document_number else [],
        "active": person.is_active,
        "name": [{"use": "official", "text": person.name}],
        "telecom": telecom,
        "gender": GENDER.get(person.sex, "unknown"),
        "birthDate": birth_date,
        "address": [{"text": person.address, "district": person.region.name}] if person.address else [],
    }
    return validated(Patient, {k: v for k, v in data.items() if v not in (None, [])})
