"""What push lists tell other apps (the control app listens; push lists import no listener).

Sent synchronously inside the sending action's transaction.
"""

from __future__ import annotations

from django.dispatch import Signal

# An item was verified: kwargs `item_uuid`, `outcome`, `measure_code`, `person_id` (or None), `region_id`,
# `grid_worker_id`, `arrived_on` (Beijing day or None), `actor`, `now`.
item_verified = Signal()
