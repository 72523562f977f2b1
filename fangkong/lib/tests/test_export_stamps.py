"""Exported files carry who exported them and when (issue 16, 个人信息保护法): a CSV's first line, an XLSX's
document properties and last sheet; the row count the audit log records leaves the stamp out."""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.utils import translation

from fangkong.lib.exports import Stamp, XlsxWriter, csv_lines, write_csv

AT = datetime.datetime(2021, 8, 3, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Beijing


def test_a_csv_begins_with_who_and_when_and_counts_only_its_rows():
    stamp = Stamp.of("王助镇 张三", "wangzhu", AT)
    out = io.StringIO()
    with translation.override("zh-hans"):
        count = write_csv(out, ["姓名", "电话"], [["甲", "1"], ["乙", "2"]], stamp=stamp)
    lines = out.getvalue().splitlines()
    assert count == 2
    assert lines[0] == "\ufeff导出人,王助镇 张三 (wangzhu),导出时间,2021-08-03 09:30"
    assert lines[1] == "姓名,电话" and len(lines) == 4
    plain = list(csv_lines(["a"], [["b"]]))
    assert plain[0] == "\ufeffa\r\n"  # no stamp asked for, none written


def test_an_xlsx_names_who_and_when_in_its_properties_and_last_sheet():
    writer = XlsxWriter(Stamp.of("", "zhihuibu", AT))
    sheet = writer.sheet("反馈", ["姓名"])
    writer.append(sheet, ["=cmd|' /C calc'!A0"])
    out = io.BytesIO()
    with translation.override("zh-hans"):
        assert writer.save(out) == 1
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames[0] == "反馈" and book.worksheets[-1].title == "导出信息"
    assert [list(r) for r in book.worksheets[-1].iter_rows(values_only=True)] == [
        ["导出人", "zhihuibu"],
        ["导出时间", "2021-08-03 09:30"],
    ]
    assert book.properties.creator == "zhihuibu"
    assert book.properties.created == AT.replace(tzinfo=None)
