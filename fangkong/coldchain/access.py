"""Reading cold-chain records: scoped to the jurisdiction (COLDCHAIN_VIEW); outside, 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from fangkong.accounts.access import AnyUser, scoped
from fangkong.accounts.permissions import Perm
from fangkong.coldchain.models import Enterprise, ImportedLot, MailBatch


def enterprises_for(user: AnyUser, perm: Perm = Perm.COLDCHAIN_VIEW) -> QuerySet[Enterprise]:
    return scoped(Enterprise.objects.all(), user, perm).select_related("region")


def lots_for(user: AnyUser, perm: Perm = Perm.COLDCHAIN_VIEW) -> QuerySet[ImportedLot]:
    return scoped(ImportedLot.objects.all(), user, perm).select_related("enterprise")


def mail_for(user: AnyUser, perm: Perm = Perm.COLDCHAIN_VIEW) -> QuerySet[MailBatch]:
    return scoped(MailBatch.objects.all(), user, perm).select_related("enterprise")


def access_lot(user: AnyUser, lot_uuid: Any, perm: Perm = Perm.COLDCHAIN_VIEW) -> ImportedLot:
    try:
        return lots_for(user, perm).get(uuid=lot_uuid)
    except (ImportedLot.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_enterprise(user: AnyUser, enterprise_uuid: Any, perm: Perm = Perm.COLDCHAIN_VIEW) -> Enterprise:
    try:
        return enterprises_for(user, perm).get(uuid=enterprise_uuid)
    except (Enterprise.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
