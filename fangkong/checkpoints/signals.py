"""What the checkpoints app announces (docs/architecture.md). Sent inside the registering transaction.

- `referrals_made(referrals: list[Referral], actor: User, now: datetime.datetime)`: a crossing referred one or more
  febrile travellers to a fever clinic; each referral is saved, with its traveller and checkpoint loaded.
"""

from __future__ import annotations

import django.dispatch

referrals_made = django.dispatch.Signal()
