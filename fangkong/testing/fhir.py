"""Lab results as FHIR R4 Observations (the interop app's FHIR API reads them through this module only).

One Observation per person and sample whose result is known: LOINC 94500-6 (SARS-CoV-2 RNA, respiratory, NAA with
probe detection); SNOMED CT 260373001 Detected / 260415000 Not detected; an invalid result carries no value but a
`dataAbsentReason` of `error`. A pooled sample says so in `method` (5-, 10- or 20-in-1) and in its specimen's
accession (the tube's barcode), so a partner system can tell a pool's negative from a single tube's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from fhir.resources.R4B.observation import Observation

from fangkong.accounts.access import AnyUser, scoped
from fangkong.accounts.permissions import Perm
from fangkong.lib.fhir import validated
from fangkong.testing.models import Result, TubeMember

LOINC_SARS_COV_2_RNA = {
    "system": "http://loinc.org",
    "code": "94500-6",
    "display": "SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory system specimen by NAA with probe detection",
}
SNOMED = "http://snomed.info/sct"
VALUES: dict[str, dict[str, str]] = {
    Result.POSITIVE: {"system": SNOMED, "code": "260373001", "display": "Detected"},
    Result.NEGATIVE: {"system": SNOMED, "code": "260415000", "display": "Not detected"},
}


def samples_for(user: AnyUser) -> QuerySet[TubeMember]:
    """Resulted samples of the people in the user's jurisdiction (the person's unit decides, as for a Patient)."""
    return scoped(
        TubeMember.objects.filter(person__is_active=True, resulted_at__isnull=False)
        .exclude(result="")
        .select_related("person", "tube"),
        user,
        Perm.TESTING_VIEW,
        via="person__region",
    )


def observation_id(sample: TubeMember) -> str:
    return f"{sample.tube.uuid}-{sample.position}"


def observation(sample: TubeMember) -> dict[str, Any]:
    tube = sample.tube
    data: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id(sample),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "laboratory",
                    }
                ]
            }
        ],
        "code": {"coding": [LOINC_SARS_COV_2_RNA], "text": "新型冠状病毒核酸检测"},
        "subject": {"reference": f"Patient/{sample.subject.uuid}", "display": sample.subject.name},
        "effectiveDateTime": sample.sampled_at.isoformat(),
        "method": {"text": "单采" if tube.capacity == 1 else f"{tube.capacity}合1混采"},
        "identifier": [{"system": "urn:fangkong:tube", "value": f"{tube.barcode}#{sample.position}"}],
    }
    if sample.resulted_at is not None:
        data["issued"] = sample.resulted_at.isoformat()
    if tube.lab:
        data["performer"] = [{"display": tube.lab}]
    value = VALUES.get(sample.result)
    if value is not None:
        data["valueCodeableConcept"] = {"coding": [value]}
    else:
        data["dataAbsentReason"] = {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "error"}
            ]
        }
    return validated(Observation, data)
