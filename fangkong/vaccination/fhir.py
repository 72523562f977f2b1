"""Doses as FHIR R4 Immunizations (the interop app's FHIR API reads them through this module only).

`vaccineCode` names the product in a local code system and adds CVX 213 (SARS-CoV-2 vaccine, unspecified
formulation); the dose number and the course length go to `protocolApplied`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from fhir.resources.R4B.immunization import Immunization

from fangkong.accounts.access import AnyUser, scoped
from fangkong.accounts.permissions import Perm
from fangkong.lib.fhir import validated
from fangkong.vaccination.models import DoseSource, VaccinationRecord

PRODUCT_SYSTEM = "urn:fangkong:vaccine-product"
CVX_SARS_COV_2 = {
    "system": "http://hl7.org/fhir/sid/cvx",
    "code": "213",
    "display": "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION",
}


def doses_for(user: AnyUser) -> QuerySet[VaccinationRecord]:
    """Doses of the people in the user's jurisdiction (the person's unit decides, as for a Patient)."""
    return scoped(
        VaccinationRecord.objects.filter(person__is_active=True).select_related("person", "product", "site"),
        user,
        Perm.VACCINATION_VIEW,
        via="person__region",
    )


def immunization(dose: VaccinationRecord) -> dict[str, Any]:
    product = dose.product
    site = dose.site.name if dose.site else dose.site_name
    data: dict[str, Any] = {
        "resourceType": "Immunization",
        "id": str(dose.uuid),
        "status": "completed",
        "vaccineCode": {
            "coding": [
                {"system": PRODUCT_SYSTEM, "code": str(product.pk), "display": product.name},
                CVX_SARS_COV_2,
            ],
            "text": product.name,
        },
        "patient": {"reference": f"Patient/{dose.person.uuid}", "display": dose.person.name},
        "occurrenceDateTime": dose.vaccinated_on.isoformat(),
        "primarySource": dose.source != DoseSource.IMPORT,
        "manufacturer": {"display": product.manufacturer},
        "protocolApplied": [
            {"doseNumberPositiveInt": dose.dose_number, "seriesDosesPositiveInt": product.course_doses}
        ],
    }
    if dose.lot:
        data["lotNumber"] = dose.lot
    if site:
        data["location"] = {"display": site}
    return validated(Immunization, data)
