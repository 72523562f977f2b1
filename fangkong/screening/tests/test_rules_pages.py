from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.audit.models import AuditEvent
from fangkong.screening.models import ClassificationRule, ControlMeasure, RuleCondition


def test_the_command_office_edits_a_rule(command_user: User, client_for: Callable[[User], Client]) -> None:
    rule = ClassificationRule.objects.get(condition=RuleCondition.MEDIUM)
    response = client_for(command_user).post(
        reverse("screening:rule_edit", args=[rule.uuid]),
        {
            "priority": 20,
            "condition": "medium",
            "special_situation": "",
            "measure": ControlMeasure.objects.get(code="centralized_isolation").pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.measure.code == "centralized_isolation"
    assert AuditEvent.objects.filter(object_uuid=rule.uuid).exists()


def test_the_command_office_adds_a_measure_and_a_rule(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(command_user)
    response = client.post(
        reverse("screening:measure_create"),
        {
            "code": "closed_loop",
            "name_zh": "闭环管理",
            "name_en": "Closed loop",
            "is_control": "on",
            "active": "on",
            "sort_order": 15,
        },
    )
    assert response.status_code == 302
    measure = ControlMeasure.objects.get(code="closed_loop")
    response = client.post(
        reverse("screening:rule_create"),
        {
            "priority": 1,
            "condition": "any",
            "special_situation": "recovered_case",
            "measure": measure.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ClassificationRule.objects.filter(measure=measure, special_situation="recovered_case").exists()


def test_a_rule_with_an_unknown_condition_is_refused(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(command_user).post(
        reverse("screening:rule_create"),
        {"priority": 1, "condition": "purple", "measure": ControlMeasure.objects.get(code="none").pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["condition"]


def test_a_cadre_sees_the_rules_but_cannot_change_them(
    cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cadre_a)
    rule = ClassificationRule.objects.first()
    assert rule is not None
    assert client.get(reverse("screening:rules")).status_code == 200
    assert client.get(reverse("screening:rule_edit", args=[rule.uuid])).status_code == 404
    assert client.post(reverse("screening:measure_edit", args=["none"]), {}).status_code == 404


def test_the_rules_page_refuses_post(command_user: User, client_for: Callable[[User], Client]) -> None:
    assert client_for(command_user).post(reverse("screening:rules")).status_code == 405
