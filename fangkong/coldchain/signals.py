"""What the cold-chain app announces (docs/architecture.md). Sent inside the changing transaction.

- `workers_changed(person_ids: list[int], active: bool, now: datetime.datetime)`: these people became (active=True)
  or stopped being (active=False) workers of a cold-chain enterprise.
"""

from __future__ import annotations

import django.dispatch

workers_changed = django.dispatch.Signal()
