"""Project-wide records: the claim that lets one consumer, and only one, run a periodic job for a due time."""

from __future__ import annotations

import datetime
import os
import socket

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

# Claims older than this are removed as new ones are made (every job runs at least daily).
KEEP_CLAIMS = datetime.timedelta(days=8)


class PeriodicClaim(models.Model):
    """定时任务认领: the consumer that runs `job` for its due time `due`.

    Every consumer that runs periodic jobs enqueues each job when it comes due, so with two of them (two
    machines, or a second one started by mistake) a job would run twice; the unique (job, due) row lets the
    first run through and turns the other copy away (fangkong/tasks.py)."""

    job = models.CharField(_("job"), max_length=100)
    due = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("claimed at"))
    consumer = models.CharField(_("consumer"), max_length=200)

    class Meta:
        verbose_name = _("periodic job claim")
        verbose_name_plural = _("periodic job claims")
        constraints = [
            models.UniqueConstraint(fields=["job", "due"], name="periodic_claim_once_per_due_time")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.due:%Y-%m-%d %H:%M}"

    @classmethod
    def claim(cls, job: str, due: datetime.datetime, now: datetime.datetime) -> bool:
        """True for the first consumer to claim `job` for `due`, False for every later one. Safe against two
        consumers racing: the database's unique key decides."""
        try:
            with transaction.atomic():
                cls.objects.create(
                    job=job, due=due, claimed_at=now, consumer=f"{socket.gethostname()}:{os.getpid()}"
                )
        except IntegrityError:
            return False
        cls.objects.filter(job=job, due__lt=due - KEEP_CLAIMS).delete()
        return True
