"""Forms of the push-list pages; domain rules (deadline range, outcome rules) live in the actions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.pushlists.models import Outcome

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".txt")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Pushed list (CSV or XLSX)"),
        help_text=_(
            "Columns are found by their headers: 姓名/name, 身份证号/id_number, 手机号/phone, 来源地/origin, "
            "到达时间/arrival, 所属乡镇/township, 地址/address."
        ),
    )
    name = forms.CharField(label=_("Batch name"), max_length=200, required=False)
    deadline_hours = forms.IntegerField(
        label=_("Verify within (hours)"), initial=24, min_value=1, max_value=336
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.txt"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


class DispatchForm(forms.Form):
    """Hand the chosen items to a unit (`region:<code>`) or to a worker (`user:<uuid>`)."""

    target = forms.CharField(label=_("Hand to"), max_length=80)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.raw_items: list[str] = list(data.getlist("items")) if data is not None else []
        self.item_uuids: list[uuid.UUID] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.item_uuids = [uuid.UUID(value) for value in self.raw_items]
        except ValueError:
            raise forms.ValidationError(_("Choose at least one item.")) from None
        if not self.item_uuids:
            raise forms.ValidationError(_("Choose at least one item."))
        kind, _sep, value = (cleaned.get("target") or "").partition(":")
        if kind not in ("region", "user") or not value:
            raise forms.ValidationError(_("Choose whom to hand the items to."))
        cleaned["kind"], cleaned["value"] = kind, value
        return cleaned


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure_code = forms.ChoiceField(
        label=_("Control measure started"),
        required=False,
        help_text=_("Required when the person was found and put under control."),
    )

    person_region = forms.ChoiceField(
        label=_("Village or grid where the person lives"),
        required=False,
        help_text=_("Where the person is registered when the outcome says the person is here."),
    )

    def __init__(
        self,
        *args: Any,
        measures: list[tuple[str, str]],
        units: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        units_field = self.fields["person_region"]
        assert isinstance(units_field, forms.ChoiceField)  # noqa: S101
        units_field.choices = [("", "—"), *(units or [])]
        units_field.widget.attrs["class"] = "form-select"
        field = self.fields["measure_code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", "—"), *measures]
        self.fields["outcome_note"].widget.attrs["class"] = "form-control"
        field.widget.attrs["class"] = "form-select form-select-lg"


class PersonLinkForm(forms.Form):
    """The verifier's correction of the import's match: link the person holding a document number, register
    the pushed identity as a new person, or unlink."""

    action = forms.ChoiceField(choices=[("link", "link"), ("register", "register"), ("unlink", "unlink")])
    document_number = forms.CharField(
        label=_("ID number of the person to link"), required=False, max_length=40
    )
    person_region = forms.CharField(required=False, max_length=40)
