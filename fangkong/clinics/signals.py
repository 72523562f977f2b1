"""What the clinics app announces (docs/architecture.md). Sent inside the registering transaction.

- `fever_patient_registered(record: SurveillanceRecord, actor: User, now: datetime.datetime)`: a facility
  registered a fever patient (kind fever); `record.person` and `record.facility` are loaded.
"""

from __future__ import annotations

import django.dispatch

fever_patient_registered = django.dispatch.Signal()
