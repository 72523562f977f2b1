"""What other apps may ask of the cold-chain app. The testing app's 3-day key group reads the workers here."""

from __future__ import annotations

from fangkong.coldchain.models import Enterprise


def worker_person_ids() -> set[int]:
    """The people working at cold-chain enterprises and delivery points (a key group for testing)."""
    return set(Enterprise.workers.through.objects.values_list("person_id", flat=True))
