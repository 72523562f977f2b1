"""Settings for the test suite: demo mode (a generated SECRET_KEY) unless the environment says otherwise.

Fast password hashing keeps the persona fixtures cheap; everything else is the real configuration.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "1")
# The suite's files (uploads, progress files, the demo's exports, the secret key) go to a folder of its own,
# never into the checkout's var/ that `make demo` uses. Processes the tests start inherit it.
if not os.environ.get("FANGKONG_VAR_DIR"):
    os.environ["FANGKONG_VAR_DIR"] = tempfile.mkdtemp(prefix="fangkong-test-var-")
    atexit.register(shutil.rmtree, os.environ["FANGKONG_VAR_DIR"], True)

from fangkong.lib.translations import compile_all
from fangkong.settings import *  # noqa: F403

# Tests read the compiled catalogues: build them from the committed .po files before Django loads any.
compile_all()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY["immediate"] = True  # noqa: F405

# Each test process counts rate limits on its own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# SMS: kept in memory (fangkong.notify.backends.outbox); the receipt callback's secret is known to the tests.
SMS_BACKEND = "locmem"
SMS_RECEIPT_SECRET = "test-receipt-secret"  # noqa: S105 - a test value

# With a read replica configured (.ci/run-replica), tests' replica reads resolve to the test database they hold
# their data in: the replica is a test mirror of default (fangkong.dbrouter; test_replica_reads reads it for real).
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
