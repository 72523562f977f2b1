"""feedback.xlsx and errors.xlsx leave through the one export writer: text a spreadsheet would run as a
formula (including a DDE payload) is written as text."""

from __future__ import annotations

import io

import openpyxl

from fangkong.pushlists.tests.conftest import id_number, write_csv

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://x.invalid","x")']
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _cells(client, url):
    response = client.get(url)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]


def test_the_feedback_file_holds_no_formula(district, import_file, tmp_path, command_user, client_for):
    rows = [[p, id_number(i + 1), "", p, "", "王助镇", p] for i, p in enumerate(PAYLOADS)]
    batch = import_file(write_csv(tmp_path / "formulas.csv", rows))
    assert batch.rows_imported == len(PAYLOADS)

    cells = _cells(client_for(command_user), f"/push-lists/batches/{batch.uuid}/feedback.xlsx")

    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not any(text.startswith(DANGEROUS) for text in texts)
    assert {"'" + p for p in PAYLOADS} <= set(texts)


def test_the_error_file_holds_no_formula(district, import_file, tmp_path, command_user, client_for):
    # No ID number nor phone and a bad date: every row is rejected with its values as pushed.
    rows = [[p, "", "", p, "2021-02-30", "王助镇", p] for p in PAYLOADS]
    batch = import_file(write_csv(tmp_path / "bad-formulas.csv", rows))
    assert batch.rows_error == len(PAYLOADS)

    cells = _cells(client_for(command_user), f"/push-lists/batches/{batch.uuid}/errors.xlsx")

    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not any(text.startswith(DANGEROUS) for text in texts)
    assert sum(text.startswith("'") for text in texts) == len(PAYLOADS)
