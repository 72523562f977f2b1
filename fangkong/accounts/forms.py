from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.permissions import Role, grantable_roles
from fangkong.regions.models import Level, Region


class UnitSelect(forms.Select):
    """A select of every unit of a jurisdiction (700+ at a district), its options written in one pass.

    Django's Select renders a template per option, which took most of the 400 ms of the account pages; the
    markup is the same `<select>` (attributes from the bound field: id, required, aria-describedby).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class RegionChoiceField(forms.ModelChoiceField):
    widget = UnitSelect

    def label_from_instance(self, obj: Any) -> str:
        # The level's name translated once per form, not looked up and translated again for each of 700 units.
        levels: dict[str, str] | None = getattr(self, "_level_labels", None)
        if levels is None:
            levels = self._level_labels = {value: str(label) for value, label in Level.choices}
        return f"{levels.get(obj.level, obj.level)} · {obj.full_name or obj.name}"


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
        # Only what a label needs: 700+ rows become model instances on every view of the form.
        self.fields["region"].queryset = regions.order_by("path").only("code", "name", "level", "path")  # type: ignore[attr-defined]
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
