"""Forms of the screening pages; domain validation (ID check digit, phones, dates) happens in the actions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.lib.dates import validate_event_day
from fangkong.people.forms import RegionChoiceField
from fangkong.people.models import DocumentType
from fangkong.regions.models import Level, Region
from fangkong.screening.actions import REPORT_FIELDS, ReturneeInput
from fangkong.screening.models import (
    ControlMeasure,
    ReturnStatus,
    RiskLevel,
    RuleCondition,
    SpecialSituation,
    TransportMode,
)

# <input type="date"> only accepts ISO dates; without a format Django renders the zh-hans input format
# (2021/08/03), which the browser drops: the field would show empty and lose its value on a re-render.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Phones get the telephone keypad on a phone (type=tel); autocomplete is set per form, for whose number it is.
TEL = {"type": "tel", "inputmode": "tel"}


def _style(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(f.widget, forms.Select):
            f.widget.attrs.setdefault("class", "form-select form-select-lg")
        else:
            f.widget.attrs.setdefault("class", "form-control form-control-lg")


class ReturneeForm(forms.Form):
    """返乡人员登记表 as one form; the self-report page and the grid report share it."""

    name = forms.CharField(
        label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, widget=forms.TextInput(attrs={**TEL, "autocomplete": "tel"})
    )
    origin_province = forms.CharField(label=_("Coming from: province"), max_length=50)
    origin_city = forms.CharField(label=_("City"), max_length=50, required=False)
    origin_county = forms.CharField(label=_("County / district"), max_length=50, required=False)
    origin_township = forms.CharField(label=_("Township / street"), max_length=50, required=False)
    origin_village = forms.CharField(label=_("Village / community"), max_length=100, required=False)
    address = forms.CharField(label=_("Address here"), max_length=200, required=False)
    household_number = forms.CharField(label=_("Household number"), max_length=32, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ReturnStatus.choices, widget=forms.RadioSelect)
    return_date = forms.DateField(
        validators=[validate_event_day], label=_("Return date (or expected date)"), widget=DATE
    )
    reason = forms.CharField(label=_("Reason for return"), max_length=200, required=False)
    transport_mode = forms.ChoiceField(label=_("Transport"), choices=TransportMode.choices)
    transport_number = forms.CharField(label=_("Train/flight number or plate"), max_length=40, required=False)
    symptoms = forms.CharField(
        label=_("Symptoms (fever, cough …)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if none."),
    )
    negative_test = forms.BooleanField(label=_("Negative test within 48 hours"), required=False)
    negative_test_date = forms.DateField(
        validators=[validate_event_day], label=_("Date of the negative test"), required=False, widget=DATE
    )
    travel_history = forms.CharField(
        label=_("Places visited in the last 14 days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recovered_case = forms.BooleanField(label=_("Recovered case"), required=False)
    close_contact = forms.BooleanField(label=_("Close contact"), required=False)
    contact_name = forms.CharField(label=_("Contact person here"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("Contact person's phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={**TEL, "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["status"].widget.attrs["class"] = "form-check-input"

    def to_input(self) -> ReturneeInput:
        data: dict[str, Any] = {
            k: v for k, v in self.cleaned_data.items() if k in ReturneeInput.__dataclass_fields__
        }
        values: dict[str, Any] = {
            k: ("" if v is None and k != "negative_test_date" else v) for k, v in data.items()
        }
        return ReturneeInput(**values)


class SelfReportForm(ReturneeForm):
    """The public self-report: the registration form plus an idempotency key, drawn when the page is served,
    so sending the same filled-in form twice (a double tap, a browser's resend) registers it once."""

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4()


# What the grid report copies from the person's own self-report. Not the document number or the phone: the grid
# worker checks those against the person's card and phone (and a full number never leaves unmasked).
PREFILLED_FROM_SELF_REPORT = ["name", "document_type", *REPORT_FIELDS]


def initial_from_self_report(report: Any) -> dict[str, Any]:
    """The grid report's starting values, taken from a self-report (ReturneeReport of the self channel)."""
    # The name as the returnee typed it: the person behind the document may be held by another unit (移交).
    values = {"name": report.reported_name, "document_type": report.person.document_type}
    values.update({k: getattr(report, k) for k in PREFILLED_FROM_SELF_REPORT if k not in values})
    values["region"] = report.region_id
    return values


class GridReturneeForm(ReturneeForm):
    """The grid report: the same fields plus the village or grid where the person was found."""

    region = RegionChoiceField(label=_("Village or grid"), queryset=Region.objects.none())
    field_order = ["region"]

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = regions.filter(level__in=[Level.VILLAGE, Level.GRID]).order_by("path")
        field.widget.attrs["class"] = "form-select form-select-lg"
        # A self-report's village may lie above this worker's grids: then they choose.
        if self.initial.get("region") and not field.queryset.filter(pk=self.initial["region"]).exists():
            del self.initial["region"]
        # A grid worker with one grid has nothing to choose: preselect it instead of "---------".
        only = list(field.queryset[:2])
        if len(only) == 1:
            field.empty_label = None
            self.initial.setdefault("region", only[0].pk)
        self.order_fields(["region"])
        # The grid worker types someone else's name and number: their own autofill would be wrong here.
        for name in ("name", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class ReturneeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ReturnStatus.choices], required=False
    )
    risk = forms.ChoiceField(
        label=_("Origin risk"),
        choices=[
            ("", _("Any risk")),
            *RiskLevel.choices,
            ("starred", _("Starred city (*)")),
            ("none", _("None")),
        ],
        required=False,
    )
    double = forms.ChoiceField(
        label=_("Double report"),
        choices=[("", _("Any")), ("complete", _("Complete")), ("incomplete", _("Incomplete"))],
        required=False,
    )
    measure = forms.ChoiceField(label=_("Measure"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ChoiceField)  # noqa: S101
        measure.choices = [("", _("Any measure")), *((m.code, m.name) for m in ControlMeasure.objects.all())]
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select")


class RiskPasteForm(forms.Form):
    text = forms.CharField(
        label=_("Published list"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One area per line with its level (高风险 南京市江宁区禄口街道), or a level line above a group."
        ),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE, validators=[validate_event_day])
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class RiskImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DATE,
        help_text=_("Used for rows without a 生效日期 column."),
        validators=[validate_event_day],
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class LiftForm(forms.Form):
    lifted_on = forms.DateField(validators=[validate_event_day], label=_("Lifted on"), widget=DATE)


class RuleForm(forms.Form):
    priority = forms.IntegerField(label=_("Priority"), min_value=0, max_value=32000)
    condition = forms.ChoiceField(label=_("Condition"), choices=RuleCondition.choices)
    special_situation = forms.ChoiceField(
        label=_("Special situation"), choices=[("", _("Everyone")), *SpecialSituation.choices], required=False
    )
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=ControlMeasure.objects.filter(active=True))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class MeasureForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    is_control = forms.BooleanField(label=_("Counts as under control"), required=False, initial=True)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32000, initial=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class CampaignForm(forms.Form):
    region = RegionChoiceField(label=_("Village"), queryset=Region.objects.none())
    # A campaign's name is a title (名称), not a person's name (姓名): its own message context.
    name = forms.CharField(label=pgettext_lazy("title of a thing", "Name"), max_length=100)
    started_on = forms.DateField(validators=[validate_event_day], label=_("Start date"), widget=DATE)

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = villages
        _style(self)


class VisitForm(forms.Form):
    visited_on = forms.DateField(validators=[validate_event_day], label=_("Visited on"), widget=DATE)
    people_present = forms.IntegerField(label=_("People present"), min_value=0, max_value=99, required=False)
    returnees_found = forms.IntegerField(
        label=_("Returnees found"), min_value=0, max_value=99, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
