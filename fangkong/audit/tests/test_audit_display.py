"""Issue 9: the audit log reads in words — verbose names, choice labels, Beijing time, yes/no — not raw field
names, enum codes, UTC ISO timestamps and Python dicts; the action 创建 is not the column title 创建时间."""

from __future__ import annotations

import re

from django.utils import timezone

from fangkong.audit.models import AuditAction, AuditEvent


def _event(object_type: str, changes: dict, action: str = AuditAction.UPDATE) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now(), action=action, object_type=object_type, object_label="记录", changes=changes
    )


def _log(client) -> str:
    return client.get("/audit/").content.decode()


def test_a_change_shows_verbose_names_labels_and_beijing_time(district, command_user, client_for):
    _event("screening.riskarea", {"level": ["medium", "high"]})
    _event("duty.dutyshift", {"starts_at": ["2021-08-03T00:30:00+00:00", "2021-08-03T16:30:00+00:00"]})
    _event("duty.dutyshift", {"is_active": [True, False]})

    page = _log(client_for(command_user))

    assert "风险等级" in page and "中风险 → 高风险" in page
    assert "<code>level</code>" not in page and "medium" not in page
    # 00:30 UTC is 08:30 in Beijing; 16:30 UTC is past midnight there, the next day.
    assert "开始时间" in page and "2021-08-03 08:30 → 2021-08-04 00:30" in page
    assert "T00:30:00" not in page
    assert "是 → 否" in page


def test_a_revised_report_shows_only_the_figures_that_moved(district, command_user, client_for):
    _event("reporting.dailyreport", {"values": [{"a": 1, "b": 2}, {"a": 1, "b": 5}]})
    page = _log(client_for(command_user))
    assert "b: 2 → b: 5" in page
    assert "{&#x27;" not in page and "{'" not in page


def test_a_creation_reads_created_not_created_at(district, command_user, client_for):
    _event("screening.riskarea", {"level": [None, "low"]}, action=AuditAction.CREATE)
    page = _log(client_for(command_user))
    assert re.search(r"<td[^>]*>创建</td>", page)
    assert not re.search(r"<td[^>]*>创建时间</td>", page)


def test_unknown_types_and_fields_still_show(district, command_user, client_for):
    _event("", {"late_units": [None, 7]})
    _event("gone.model", {"x": [None, "2021-08-03"]})
    page = _log(client_for(command_user))
    assert "late_units" in page and "2021-08-03" in page


def test_audit_action_words_do_not_take_over_other_pages():
    """Every app's catalogue is merged into one: the audit's actions keep to their own message context."""
    from django.utils import translation

    from fangkong.pushlists.models import BatchStatus

    with translation.override("zh-hans"):
        assert str(BatchStatus.DONE.label) == "已导入"
        assert translation.gettext("Created") == "创建时间"
        assert str(AuditAction.IMPORT.label) == "导入"
        assert str(AuditAction.CREATE.label) == "创建"
