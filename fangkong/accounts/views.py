from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.accounts.actions import do_create_token, do_revoke_token
from fangkong.accounts.models import ApiToken, User
from fangkong.lib.web import public


@public
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required ran first
    return request.user


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    new_token = None
    if request.method == "POST":
        _token, new_token = do_create_token(user, request.POST.get("name", ""))
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    rows = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": rows, "new_token": new_token})


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_uuid: uuid.UUID) -> HttpResponse:
    user = _user(request)
    token = get_object_or_404(ApiToken, uuid=token_uuid, user=user)
    do_revoke_token(user, token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
