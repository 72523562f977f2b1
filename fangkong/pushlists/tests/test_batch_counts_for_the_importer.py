"""The whole file's counts (rows read, imported, with errors, not routed) are for the importing office only,
as on the batch page; a unit holding some of the items sees its own figures on the batch page."""

from __future__ import annotations

import pytest

from fangkong.pushlists.actions import do_assign
from fangkong.pushlists.tests.conftest import NOW, item, sample_rows, write_csv

API = "/api/v1/push-lists"
COUNTS = ("rows_total", "rows_imported", "rows_error", "rows_unroutable")


@pytest.fixture
def batch(import_file, tmp_path):
    """The four sample rows and one rejected row: 张三 and 王五 held by township A, 赵六 in the queue."""
    return import_file(
        write_csv(tmp_path / "list.csv", [*sample_rows(), ["坏行", "123", "", "", "", "", ""]])
    )


def _table_body(client) -> str:
    body = client.get("/push-lists/").content.decode()
    start = body.index("<tbody>")
    return body[start : body.index("</tbody>", start)]


def test_the_batch_list_shows_the_importer_the_files_counts(district, batch, command_user, client_for):
    body = _table_body(client_for(command_user))

    assert (batch.rows_imported, batch.rows_error) == (4, 1)
    assert '<td class="text-end">4</td>' in body
    assert '<td class="text-end d-none d-md-table-cell">1</td>' in body


def test_the_batch_list_hides_the_files_counts_from_a_township(district, batch, cadre_a, client_for):
    body = _table_body(client_for(cadre_a))

    assert batch.name in body
    assert '<td class="text-end">4</td>' not in body
    assert '<td class="text-end d-none d-md-table-cell">1</td>' not in body
    assert body.count("–</td>") == 2


def test_the_api_gives_the_importer_the_files_counts(district, batch, command_user, client_for):
    client = client_for(command_user)

    listed = client.get(f"{API}/batches").json()
    detail = client.get(f"{API}/batches/{batch.uuid}").json()

    expected = {
        "rows_total": 5,
        "rows_imported": 4,
        "rows_error": 1,
        "rows_unroutable": batch.rows_unroutable,
    }
    assert batch.rows_unroutable == 1
    assert {key: listed[0][key] for key in COUNTS} == expected
    assert {key: detail[key] for key in COUNTS} == expected


def test_the_api_gives_a_township_no_district_wide_counts(district, batch, cadre_a, client_for):
    client = client_for(cadre_a)

    listed = client.get(f"{API}/batches").json()
    detail = client.get(f"{API}/batches/{batch.uuid}").json()

    assert [b["uuid"] for b in listed] == [str(batch.uuid)]
    assert {key: listed[0][key] for key in COUNTS} == dict.fromkeys(COUNTS)
    assert {key: detail[key] for key in COUNTS} == dict.fromkeys(COUNTS)
    assert [t["received"] for t in detail["townships"]] == [2]  # its own share


def test_the_api_gives_a_grid_worker_no_district_wide_counts(
    district, batch, cadre_a, grid_worker_a, client_for
):
    do_assign(cadre_a, [item(batch, "张三")], grid_worker_a, NOW)
    client = client_for(grid_worker_a)

    listed = client.get(f"{API}/batches").json()
    detail = client.get(f"{API}/batches/{batch.uuid}").json()

    assert [b["uuid"] for b in listed] == [str(batch.uuid)]
    assert {key: listed[0][key] for key in COUNTS} == dict.fromkeys(COUNTS)
    assert {key: detail[key] for key in COUNTS} == dict.fromkeys(COUNTS)
