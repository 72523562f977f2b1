"""One writer at a time inside a server process, on SQLite.

SQLite has one write lock. Threads of one server process waiting for it in SQLite's busy handler sleep in
growing steps (1, 2, 5 … 100 ms) and miss the moment it frees; queued on a lock of the process they take it in
turn at once. The checkpoint crossing takes `serial_writer()` around its own transaction (the sample API does not:
measured under load it did not help there). Only around a transaction of our own: inside a caller's transaction the write lock is held
already. On PostgreSQL it does nothing (row locks are enough).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.db import connection

_SQLITE_WRITER = threading.Lock()


def serial_writer() -> AbstractContextManager[Any]:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        return _SQLITE_WRITER
    return nullcontext()
