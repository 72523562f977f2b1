"""Reading vaccination records, sites, imports and targets: scoped to the user's jurisdiction, 404 outside."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from fangkong.accounts.access import AnyUser, access_region, get_scoped_or_404, require, scoped
from fangkong.accounts.permissions import Perm
from fangkong.people.models import Person
from fangkong.regions.models import Region
from fangkong.vaccination.models import (
    KeyGroupMember,
    MobilisationNote,
    VaccinationImport,
    VaccinationRecord,
    VaccinationSite,
    VaccinationTarget,
)


def unit_for(user: AnyUser, code: str, perm: Perm = Perm.VACCINATION_VIEW) -> Region:
    """The unit `?region=code` names, inside the user's jurisdiction (else 404); the jurisdiction itself if empty."""
    root = require(user, perm)
    return access_region(user, code, perm) if code else root


def records_for(user: AnyUser, perm: Perm = Perm.VACCINATION_VIEW) -> QuerySet[VaccinationRecord]:
    return scoped(
        VaccinationRecord.objects.visible().select_related("product"), user, perm, via="person__region"
    )


def people_for(user: AnyUser, perm: Perm) -> QuerySet[Person]:
    """Active people of the registry inside the user's jurisdiction."""
    return scoped(Person.objects.active(), user, perm)


def access_person(user: AnyUser, person_uuid: uuid.UUID | str, perm: Perm) -> Person:
    return get_scoped_or_404(Person.objects.active().select_related("region"), user, perm, uuid=person_uuid)


def sites_for(user: AnyUser, perm: Perm = Perm.VACCINATION_VIEW) -> QuerySet[VaccinationSite]:
    return scoped(VaccinationSite.objects.filter(is_active=True).select_related("region"), user, perm)


def imports_for(user: AnyUser) -> QuerySet[VaccinationImport]:
    return scoped(VaccinationImport.objects.select_related("created_by"), user, Perm.VACCINATION_IMPORT)


def access_import(user: AnyUser, import_uuid: uuid.UUID | str) -> VaccinationImport:
    return get_scoped_or_404(VaccinationImport.objects.all(), user, Perm.VACCINATION_IMPORT, uuid=import_uuid)


def targets_for(user: AnyUser) -> QuerySet[VaccinationTarget]:
    return scoped(
        VaccinationTarget.objects.select_related("region", "band", "group"), user, Perm.VACCINATION_VIEW
    )


def notes_for(user: AnyUser) -> QuerySet[MobilisationNote]:
    return scoped(MobilisationNote.objects.all(), user, Perm.VACCINATION_VIEW, via="person__region")


def access_site(
    user: AnyUser, site_uuid: uuid.UUID | str, perm: Perm = Perm.VACCINATION_RECORD
) -> VaccinationSite:
    return get_scoped_or_404(VaccinationSite.objects.filter(is_active=True), user, perm, uuid=site_uuid)


def members_for(user: AnyUser, perm: Perm = Perm.VACCINATION_VIEW) -> QuerySet[KeyGroupMember]:
    """Members of key groups who are active people inside the user's jurisdiction."""
    return scoped(
        KeyGroupMember.objects.filter(person__is_active=True).select_related("person__region", "group"),
        user,
        perm,
        via="person__region",
    )
