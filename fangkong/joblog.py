"""One log line per retry while the job broker is unreachable, instead of a traceback a second.

With Redis down, huey's scheduler logs a traceback every second (reading the schedule) plus one per
periodic task a minute, and each worker one per poll: about 15 MB of log an hour. This filter, on the
`huey.consumer` logger, turns such a record into a single line and lets the next one through only after a
pause that doubles (1 s … 5 min); the pause starts over once the broker has been quiet for two minutes.
Other errors pass untouched.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

BROKER_ERRORS = (RedisConnectionError, RedisTimeoutError, sqlite3.OperationalError, ConnectionError)
MAX_PAUSE = 300.0


class BrokerBackoffFilter(logging.Filter):
    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self.pause = 1.0
        self.next_at = 0.0
        self.last_seen = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, BROKER_ERRORS):
            return True
        now = time.monotonic()
        if now - self.last_seen > 120:
            self.pause, self.next_at = 1.0, 0.0
        self.last_seen = now
        if now < self.next_at:
            return False
        record.msg = "job broker unreachable (%s: %s); retrying, next report in %.0fs"
        record.args = (type(exc).__name__, exc, self.pause)
        record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, 30, "WARNING"
        self.next_at = now + self.pause
        self.pause = min(self.pause * 2, MAX_PAUSE)
        return True
