"""Photos of findings and fixes. Files are hostile: the size is checked before reading, the declared dimensions
before decoding, and what is kept is a fresh JPEG that Pillow re-encodes (no EXIF, so no GPS position or
camera serial, and no bytes of the original), never the file as sent."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; a decompression bomb declares far more
MAX_SIDE = 2560  # stored photos are scaled down to this longest side
MAX_PHOTOS = 6
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def clean_photo(upload: IO[bytes], size: int | None) -> CleanPhoto:
    """Check one uploaded photo and re-encode it as JPEG; ValidationError in Chinese when it is not one."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if size is None or size > MAX_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."))
    if size == 0:
        raise ValidationError(_("The photo file is empty."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."))
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Upload a photo as JPEG, PNG or WebP."))
            width, height = img.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise ValidationError(_("The photo is too large (at most 40 megapixels)."))
            img.load()
            upright = ImageOps.exif_transpose(img) or img
            rgb = upright.convert("RGB")
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("The photo is too large (at most 40 megapixels).")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(_("This file is not a photo that can be read.")) from None
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), rgb.width, rgb.height)
