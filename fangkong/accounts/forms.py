from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.permissions import Role, grantable_roles
from fangkong.regions.models import Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_level_display()} · {obj.full_name or obj.name}"


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault(
            "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args: Any, actor_role: str, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantable = grantable_roles(actor_role)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in grantable]  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions.order_by("path")  # type: ignore[attr-defined]
        _bootstrap(self)


class UserCreateForm(RoleForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        # type=tel for the phone keypad; the manager types a colleague's number, so no autofill of their own.
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False))

    field_order = ["username", "full_name", "phone", "role", "region", "password"]


class ActiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput(render_value=False))


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    repeat = forms.CharField(
        label=_("New password again"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
