"""Settings for the test suite: demo mode (a generated SECRET_KEY) unless the environment says otherwise.

Fast password hashing keeps the persona fixtures cheap; everything else is the real configuration.
"""

import os

os.environ.setdefault("DEBUG", "1")

from fangkong.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY["immediate"] = True  # noqa: F405
