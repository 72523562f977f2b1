"""Photos are hostile files: size and type checked, dimensions checked before decoding, stored re-encoded."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError

from fangkong.lib.photos import MAX_BYTES, clean_photo
from fangkong.supervision.tests.helpers import png_bytes


def check(data: bytes):
    return clean_photo(io.BytesIO(data), len(data))


def test_a_png_is_stored_as_a_fresh_jpeg():
    cleaned = check(png_bytes((64, 48)))
    assert cleaned.content[:3] == b"\xff\xd8\xff"
    assert (cleaned.width, cleaned.height) == (64, 48)


def test_exif_such_as_a_gps_position_is_dropped():
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    data = png_bytes((32, 32), fmt="JPEG", exif=exif.tobytes())
    assert b"SecretCam" in data
    cleaned = check(data)
    assert b"SecretCam" not in cleaned.content
    assert not Image.open(io.BytesIO(cleaned.content)).getexif()


def test_a_big_photo_is_scaled_down():
    cleaned = check(png_bytes((3000, 1000)))
    assert (cleaned.width, cleaned.height) == (2560, 853)


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\0" * 20,
        b"%PDF-1.4 not a photo",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 10,
    ],
)
def test_what_is_not_a_readable_photo_is_refused(data):
    with pytest.raises(ValidationError):
        check(data)


def test_a_gif_is_refused_even_when_pillow_reads_it():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        check(out.getvalue())


def test_too_many_bytes_are_refused_before_reading():
    with pytest.raises(ValidationError):
        clean_photo(io.BytesIO(b""), MAX_BYTES + 1)
    with pytest.raises(ValidationError):
        clean_photo(io.BytesIO(b""), 0)


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_from_its_declared_size():
    with pytest.raises(ValidationError) as exc:
        check(_png_header(50_000, 50_000))
    assert "40" in exc.value.messages[0]


def _big_plain_png(width: int, height: int) -> bytes:
    """A real, valid PNG of one colour: a few hundred KB on disk, width × height × 3 bytes once decoded."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 30)).save(out, format="PNG", optimize=False)
    return out.getvalue()


def test_decoding_runs_in_a_child_under_a_memory_limit(settings):
    """A photo within the declared limits that still needs more memory than allowed ends the child process
    only: the upload is refused with a message and the web process goes on (and did not decode it)."""
    data = _big_plain_png(6000, 5000)  # 30 megapixels: 90 MB decoded
    assert len(data) < MAX_BYTES
    settings.PHOTO_MEMORY_MB = 64  # less than the decoded pixels need
    with pytest.raises(ValidationError) as exc:
        check(data)
    assert "memory" in exc.value.messages[0] or "内存" in exc.value.messages[0]
    # With the normal limit the same photo is read and scaled down.
    del settings.PHOTO_MEMORY_MB
    cleaned = check(data)
    assert (cleaned.width, cleaned.height) == (2560, 2133)


def test_the_web_process_does_not_import_a_decoder_for_a_photo():
    import subprocess
    import sys

    # In a fresh interpreter: cleaning a photo leaves Pillow's decoders unloaded in the calling process.
    code = (
        "import io, django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fangkong.test_settings')\n"
        "django.setup()\n"
        "import sys\n"
        "from fangkong.lib.photos import clean_photo\n"
        "from fangkong.supervision.tests.helpers import png_bytes\n"
        "data = png_bytes((40, 30))\n"
        "sys.modules.pop('PIL.PngImagePlugin', None)\n"
        "clean_photo(io.BytesIO(data), len(data))\n"
        "print('PIL.PngImagePlugin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
