"""Real-world files: title rows, merged cells, Excel date serials, IDs stored as numbers, GBK and BOM CSV."""

from __future__ import annotations

import datetime

import openpyxl

from fangkong.lib.idnumbers import upgrade_15
from fangkong.pushlists.models import BatchStatus, PushErrorRow, PushItem
from fangkong.pushlists.tests.conftest import id_number, sample_rows, write_csv, write_xlsx


def test_an_xlsx_with_a_merged_title_row_and_merged_township_cells_imports(district, import_file, tmp_path):
    path = tmp_path / "list.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["濮阳市大数据推送人员名单（8月3日）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号说明"])
    sheet.append(["姓名", "身份证号", "手机号", "来源地", "到达时间", "所属乡镇", "地址"])
    sheet.append(["张三", id_number(1), "13912345678", "南京", 44409.5, "新习镇", ""])
    sheet.append(["李四", id_number(2), "", "南京", datetime.datetime(2021, 8, 1, 10, 0), None, ""])
    sheet.merge_cells("F4:F5")
    workbook.save(path)

    batch = import_file(path)

    assert batch.status == BatchStatus.DONE and batch.rows_imported == 2
    items = {i.name: i for i in PushItem.objects.filter(batch=batch)}
    assert items["李四"].region == district.township_b  # the merged township cell covers row 5
    assert items["张三"].row_number == 4
    assert items["张三"].arrival == "2021-08-01 12:00:00"  # Excel serial 44409.5
    assert items["张三"].arrived_at == datetime.datetime(2021, 8, 1, 4, 0, tzinfo=datetime.UTC)


def test_an_18_digit_id_stored_as_a_number_is_an_error_but_a_15_digit_one_reads_back(
    district, import_file, tmp_path
):
    rows = [
        ["长号", int(id_number(1)[:17] + "1"), "", "", "", "王助镇", ""],
        ["旧证", 410928800101123, "", "", "", "王助镇", ""],
    ]
    batch = import_file(write_xlsx(tmp_path / "list.xlsx", rows))

    assert (batch.rows_imported, batch.rows_error) == (1, 1)
    assert "scientific notation" in PushErrorRow.objects.get(batch=batch).reason
    item = PushItem.objects.get(batch=batch)
    assert item.id_number == "410928800101123"
    assert item.document_number == upgrade_15("410928800101123")  # issue 11: on the item, no person


def test_a_csv_in_utf8_with_bom_imports(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "bom.csv", sample_rows(), encoding="utf-8-sig"))

    assert batch.rows_imported == 4
    assert PushItem.objects.filter(batch=batch, name="张三", region=district.township_a).exists()


def test_a_csv_in_gbk_imports(district, import_file, tmp_path):
    batch = import_file(write_csv(tmp_path / "gbk.csv", sample_rows(), encoding="gbk"))

    assert batch.rows_imported == 4
    assert PushItem.objects.filter(batch=batch, name="李四", region=district.township_b).exists()


def test_english_headers_in_another_order_import(district, import_file, tmp_path):
    header = ["township", "phone", "name", "id_number"]
    rows = [["王助镇", "13912345678", "Zhang San", id_number(1)]]
    batch = import_file(write_csv(tmp_path / "en.csv", rows, header=header))

    item = PushItem.objects.get(batch=batch)
    assert (item.name, item.region, item.phone) == ("Zhang San", district.township_a, "13912345678")


def test_short_township_names_route_like_full_ones(district, import_file, tmp_path):
    district.township_b.name = "皇甫街道"
    district.township_b.save()
    rows = [["甲", id_number(1), "", "", "", "皇甫办", ""], ["乙", id_number(2), "", "", "", "王助", ""]]
    batch = import_file(write_csv(tmp_path / "short.csv", rows))

    regions = dict(PushItem.objects.filter(batch=batch).values_list("name", "region"))
    assert regions == {"甲": district.township_b.pk, "乙": district.township_a.pk}
