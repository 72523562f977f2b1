"""What the reporting app announces (docs/architecture.md). Sent after the sweep's transaction commits.

- `reminders_sent(user_ids: list[int], day: datetime.date, kind: str, now: datetime.datetime)`: the 10:00 or
  11:30 reminder (`kind` is the `SweepKind` value) told these users in-app that their unit has not filed the
  daily report of `day`; sent once per day and kind (the sweep's claim). The notify app texts them too.
"""

from __future__ import annotations

import django.dispatch

reminders_sent = django.dispatch.Signal()
