"""The printable self-report links page: one card per village of the jurisdiction, with a QR code that scans
to the same URL as the text printed under it. The SVG the page serves is rendered by WeasyPrint, rasterised
by poppler's pdftoppm (both also used by CI) and decoded by zxing-cpp, so segno is not trusted to check
itself."""

import html
import io
import re
import subprocess
from collections.abc import Callable

import weasyprint
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import District, make_region
from fangkong.accounts.models import User
from fangkong.regions.models import Level

CARD = 'data-testid="self-report-card"'
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
URL = re.compile(r'data-testid="self-report-url">([^<]*)<')
LABEL = re.compile(r'<svg role="img" aria-label="([^"]*)"')


def cards(page: str) -> list[tuple[str, str, str]]:
    """(aria-label of the QR code, its SVG, the URL text) of each village card on the links page."""
    found = []
    for card in page.split(CARD)[1:]:
        svgs = SVG.findall(card)
        assert len(svgs) == 1, card
        label = LABEL.search(svgs[0])
        url = URL.search(card)
        assert label and url, card
        found.append((html.unescape(label.group(1)), svgs[0], html.unescape(url.group(1)).strip()))
    return found


def decode(svg: str) -> list[str]:
    """The texts of the QR codes in `svg`, as a phone would read them off the printed page."""
    pdf = weasyprint.HTML(string=f"<!doctype html><html><body>{svg}</body></html>").write_pdf()
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def links_page(client: Client) -> str:
    response = client.get(reverse("screening:links"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_village_of_the_jurisdiction_has_a_qr_code_of_its_link(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    second = make_region("410972100202", "孙家村", Level.VILLAGE, district.township_a)
    page = links_page(client_for(cadre_a))

    found = cards(page)
    assert page.count("<svg") == len(found) == 2
    for (label, svg, url), village in zip(found, [district.village_a, second], strict=True):
        assert village.name in label
        assert url == f"http://testserver/screening/r/{village.code}/"
        assert decode(svg) == [url]
    assert district.village_b.name not in page
    assert district.village_b.code not in page


def test_another_township_sees_only_its_own_village(
    district: District, cadre_b: User, client_for: Callable[[User], Client]
) -> None:
    [(label, svg, url)] = cards(links_page(client_for(cadre_b)))
    assert district.village_b.name in label
    assert district.village_a.name not in label
    assert url == f"http://testserver/screening/r/{district.village_b.code}/"
    assert decode(svg) == [url]


def test_a_village_name_with_markup_is_escaped_in_the_qr_label(
    district: District, cadre_a: User, client_for: Callable[[User], Client]
) -> None:
    district.village_a.name = '<script>alert("x")</script>村'
    district.village_a.save()
    page = links_page(client_for(cadre_a))
    assert "<script>alert" not in page
    [(label, _svg, _url)] = cards(page)
    assert '<script>alert("x")</script>村' in label  # unescaped by the test: the name, not markup
