from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fangkong.accounts.access import access_user, acting_user, regions_for, require, users_for
from fangkong.accounts.actions import (
    do_change_own_password,
    do_change_role,
    do_create_token,
    do_create_user,
    do_revoke_token,
    do_set_active,
    do_set_password,
)
from fangkong.accounts.forms import ActiveForm, OwnPasswordForm, PasswordForm, RoleForm, UserCreateForm
from fangkong.accounts.models import ApiToken
from fangkong.accounts.permissions import Perm, Role
from fangkong.accounts.throttle import address_blocked
from fangkong.lib.web import add_errors, public


@public
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_blocked(request):
            return render(request, "accounts/locked_out.html", {"by_address": True}, status=429)
        return super().post(request, *args, **kwargs)


@require_http_methods(["GET", "POST"])
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Everyone changes their own password here; after a manager's reset, nothing else opens until they do."""
    user = acting_user(request)
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_change_own_password(user, data["old_password"], data["password"], data["repeat"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # this session stays; the others end
            messages.success(
                request, _("Password changed. Your API tokens were revoked and other sessions ended.")
            )
            return redirect("home")
    return render(request, "accounts/password.html", {"form": form, "forced": user.must_change_password})


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    new_token = None
    if request.method == "POST":
        _token, new_token = do_create_token(user, request.POST.get("name", ""))
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    rows = ApiToken.objects.filter(user=user).order_by("-created_at")
    return render(
        request, "accounts/tokens.html", {"tokens": rows, "new_token": new_token, "now": timezone.now()}
    )


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_uuid: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    token = get_object_or_404(ApiToken, uuid=token_uuid, user=user)
    do_revoke_token(user, token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


@require_GET
@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.USERS_MANAGE)
    users = users_for(request.user).select_related("region").order_by("region__path", "username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/users.html", {"page_obj": page, "q": q, "querystring_base": f"q={q}&" if q else ""}
    )


@require_http_methods(["GET", "POST"])
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.USERS_MANAGE)
    actor = acting_user(request)
    form = UserCreateForm(
        request.POST or None, actor_role=actor.role, regions=regions_for(actor, Perm.USERS_MANAGE)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = do_create_user(
                actor,
                username=data["username"],
                full_name=data["full_name"],
                role=Role(data["role"]),
                region=data["region"],
                password=data["password"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user", user_uuid=user.uuid)
    return render(request, "accounts/user_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def user_detail(request: HttpRequest, user_uuid: uuid.UUID) -> HttpResponse:
    actor = acting_user(request)
    user = access_user(actor, user_uuid)
    regions = regions_for(actor, Perm.USERS_MANAGE)
    role_form = RoleForm(
        request.POST if request.POST.get("form") == "role" else None,
        actor_role=actor.role,
        regions=regions,
        initial={"role": user.role, "region": user.region},
    )
    active_form = ActiveForm(request.POST if request.POST.get("form") == "active" else None)
    password_form = PasswordForm(request.POST if request.POST.get("form") == "password" else None)
    try:
        if role_form.is_bound and role_form.is_valid():
            do_change_role(
                actor, user, Role(role_form.cleaned_data["role"]), role_form.cleaned_data["region"]
            )
            messages.success(request, _("Role changed."))
            return redirect("accounts:user", user_uuid=user.uuid)
        if active_form.is_bound and active_form.is_valid():
            do_set_active(actor, user, request.POST.get("active") == "1", active_form.cleaned_data["reason"])
            messages.success(request, _("Account updated."))
            return redirect("accounts:user", user_uuid=user.uuid)
        if password_form.is_bound and password_form.is_valid():
            do_set_password(actor, user, password_form.cleaned_data["password"])
            messages.success(request, _("Password set."))
            return redirect("accounts:user", user_uuid=user.uuid)
    except ValidationError as exc:
        bound = next(f for f in (role_form, active_form, password_form) if f.is_bound)
        add_errors(bound, exc)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "role_form": role_form,
            "active_form": active_form,
            "password_form": password_form,
        },
    )
