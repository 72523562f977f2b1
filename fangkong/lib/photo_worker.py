"""The child process that decodes an uploaded photo: `python -m fangkong.lib.photo_worker LIMITS`.

Runs without Django, under a memory (address space) and CPU limit set before Pillow is imported, so a photo
that makes the decoder allocate without bound (a decompression bomb that slipped past the declared-size
check, a malformed file) ends this process only, never the web worker. Reads the photo's bytes on stdin and
writes either b"OK" + width + height (4 bytes each, big-endian) + a fresh JPEG, or b"ER" + an error code.
"""

from __future__ import annotations

import io
import json
import resource
import struct
import sys

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def clean(data: bytes, max_pixels: int, max_side: int) -> tuple[str, bytes]:
    """(status, payload): ("OK", header + JPEG) or ("ER", code)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    # Pillow's own bomb check at our limit (it warns below twice the limit; we refuse above it).
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in ALLOWED_FORMATS:
                return "ER", b"format"
            width, height = img.size
            if width < 1 or height < 1 or width * height > max_pixels:
                return "ER", b"pixels"
            img.load()
            upright = ImageOps.exif_transpose(img) or img
            rgb = upright.convert("RGB")
    except Image.DecompressionBombError:
        return "ER", b"pixels"
    except MemoryError:
        return "ER", b"memory"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error):
        return "ER", b"unreadable"
    rgb.thumbnail((max_side, max_side))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=85, optimize=True)
    return "OK", struct.pack(">II", rgb.width, rgb.height) + out.getvalue()


def main(argv: list[str]) -> int:
    limits = json.loads(argv[1])
    _limit(limits["memory_bytes"], limits["cpu_seconds"])
    data = sys.stdin.buffer.read(limits["max_bytes"] + 1)
    out = sys.stdout.buffer
    try:
        status, payload = clean(data, limits["max_pixels"], limits["max_side"])
    except MemoryError:
        status, payload = "ER", b"memory"
    out.write(status.encode() + payload)
    out.flush()
    return 0 if status == "OK" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
