"""Every change in reporting, one module per noun: `filing` (filing, correcting and reviewing reports), `sweep`
(reminders, the 12:00 late marking, closing days), `accountability`, `urgent` (专题报送), `notifications` and
`indicators` (form maintenance). `check_*` validates, `do_*` saves and audits.

The names below are the app's action API; callers import them from here."""

from fangkong.reporting.actions.accountability import (
    do_decide,
    do_explain,
    do_publish_decision,
    open_accountability,
    settle_timeliness,
)
from fangkong.reporting.actions.filing import (
    can_review,
    check_day,
    check_unit,
    check_values,
    do_file_report,
    do_review_report,
    prefill,
    rollup,
)
from fangkong.reporting.actions.indicators import do_add_indicator, do_retire_indicator
from fangkong.reporting.actions.notifications import do_mark_all_read, do_mark_read, notify, roles_with
from fangkong.reporting.actions.sweep import SweepResult, days_to_close, do_deadline_sweep
from fangkong.reporting.actions.urgent import (
    MAX_ATTACHMENT_BYTES,
    do_acknowledge_urgent,
    do_escalate_urgent,
    do_open_attachment,
    do_send_urgent,
    duty_recipients,
    escalation_delay,
)

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "SweepResult",
    "can_review",
    "check_day",
    "check_unit",
    "check_values",
    "days_to_close",
    "do_acknowledge_urgent",
    "do_add_indicator",
    "do_deadline_sweep",
    "do_decide",
    "do_escalate_urgent",
    "do_explain",
    "do_file_report",
    "do_mark_all_read",
    "do_mark_read",
    "do_open_attachment",
    "do_publish_decision",
    "do_retire_indicator",
    "do_review_report",
    "do_send_urgent",
    "duty_recipients",
    "escalation_delay",
    "notify",
    "open_accountability",
    "prefill",
    "roles_with",
    "rollup",
    "settle_timeliness",
]
