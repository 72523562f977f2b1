"""Photos (supervision findings and fixes, disinfection records and field tasks). Files are hostile: the size is
checked before reading, the declared dimensions before decoding, and what is kept is a fresh JPEG that Pillow
re-encodes (no EXIF, so no GPS position or camera serial, and no bytes of the original), never the file as sent.

Decoding happens in a child process (`photo_worker`) under a memory and CPU limit, as workbooks are read
(`lib/spreadsheets.py`): a photo that makes the decoder allocate without bound ends the child only, and the
upload is refused with a message in the user's language; the web worker never holds the decoded pixels.
"""

from __future__ import annotations

import json
import logging
import struct
import subprocess
import sys
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; a decompression bomb declares far more
MAX_SIDE = 2560  # stored photos are scaled down to this longest side
MAX_PHOTOS = 6
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
# A 40-megapixel photo decodes to 120 MB of RGB, held up to three times (decoded, turned upright, converted),
# beside the interpreter and Pillow: 768 MB of address space is enough, and a bomb gets no further.
MEMORY_MB = 768
CPU_SECONDS = 30
WALL_SECONDS = 60


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def _message(code: str) -> str:
    if code == "format":
        return _("Upload a photo as JPEG, PNG or WebP.")
    if code == "pixels":
        return _("The photo is too large (at most 40 megapixels).")
    if code == "memory":
        return _("The photo needs more memory to read than a photo may use; it was not stored.")
    return _("This file is not a photo that can be read.")


def clean_photo(upload: IO[bytes], size: int | None) -> CleanPhoto:
    """Check one uploaded photo and re-encode it as JPEG in a guarded child process; ValidationError in
    Chinese when it is not one."""
    if size is None or size > MAX_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."))
    if size == 0:
        raise ValidationError(_("The photo file is empty."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."))
    limits = {
        "memory_bytes": getattr(settings, "PHOTO_MEMORY_MB", MEMORY_MB) << 20,
        "cpu_seconds": CPU_SECONDS,
        "max_bytes": MAX_BYTES,
        "max_pixels": MAX_PIXELS,
        "max_side": MAX_SIDE,
    }
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, our own module
            [sys.executable, "-m", "fangkong.lib.photo_worker", json.dumps(limits)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ValidationError(_message("memory")) from None
    out = done.stdout
    if out[:2] == b"OK" and len(out) > 10:
        width, height = struct.unpack(">II", out[2:10])
        return CleanPhoto(out[10:], width, height)
    if out[:2] == b"ER":
        raise ValidationError(_message(out[2:].decode(errors="replace")))
    # Killed (the CPU limit) or died without a word (the memory limit hit outside Python's reach).
    log.warning(
        "photo decoder ended with status %s: %s",
        done.returncode,
        done.stderr[-2000:].decode(errors="replace"),
    )
    raise ValidationError(_message("memory"))


def photo_response(photo: FieldFile) -> FileResponse:
    """A stored photo (always our own re-encoded JPEG) for its readers: private, never sniffed; 404 when the file
    is gone."""
    if not photo:
        raise Http404
    try:
        handle = photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
