"""Settings of `make demo`: the platform served as production serves it (DEBUG off — the Chinese error
pages, collected static files, no technical pages), with what a demo on one's own machine needs: a secret
key generated into var/, localhost as the host, cookies over plain HTTP, and the demo district.

`DJANGO_SETTINGS_MODULE=fangkong.demo.settings`; every variable of the README still applies.
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ["DEMO"] = "1"

from fangkong.settings import *  # noqa: F403
