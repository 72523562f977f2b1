"""Personal API tokens: `POST /api/v1/auth/token` with username and password returns a token."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fangkong.accounts.actions import do_create_token, do_revoke_token
from fangkong.accounts.models import ApiToken, User
from fangkong.accounts.throttle import address_blocked
from fangkong.lib.schemas import InputSchema, column_length

router = Router(tags=["auth"])


class TokenRequest(InputSchema):
    username: str
    password: str
    name: str = Field("", max_length=column_length(ApiToken, "name"))


class TokenOut(Schema):
    uuid: uuid.UUID
    token: str
    name: str


class Message(Schema):
    detail: str


@router.post("/token", auth=None, response={201: TokenOut, 401: Message, 403: Message, 429: Message})
def create_token(request: HttpRequest, payload: TokenRequest) -> Status[Any]:
    if address_blocked(request):
        return Status(429, {"detail": _("Too many failed logins from this address; try again later.")})
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User):
        return Status(401, {"detail": _("Wrong username or password.")})
    if user.must_change_password:
        return Status(403, {"detail": _("Change your password on the web page first.")})
    token, raw = do_create_token(user, payload.name)
    return Status(201, {"uuid": token.uuid, "token": raw, "name": token.name})


@router.delete("/token/{token_uuid}", response={204: None})
def revoke_token(request: HttpRequest, token_uuid: uuid.UUID) -> Status[Any]:
    assert isinstance(request.user, User)  # noqa: S101 - guaranteed by the API's auth
    token = get_object_or_404(ApiToken, uuid=token_uuid, user=request.user)
    do_revoke_token(request.user, token)
    return Status(204, None)
