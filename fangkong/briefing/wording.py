"""The fixed wording of the briefing document (公文用语), in Chinese.

The 日报 is an official Chinese document whatever language the reader's screen is in, so its wording is
not run through gettext: it must come out in Chinese even where the .mo catalogues were not compiled.
The web pages around it are translated as usual.
"""

from __future__ import annotations

import datetime

from fangkong.lib.reporting_day import SHANGHAI

TITLE = "疫情防控工作日报"
ISSUER = "区疫情防控指挥部办公室"
ISSUE = "第{issue_no}期"
YEAR_ISSUE = "（{year}年第{issue_no}期）"

H_OVERALL = "一、总体情况"
H_TOWNSHIPS = "二、各乡镇（街道）情况"
H_TIMELINESS = "三、报送及时情况"
H_URGENT = "四、专题报送（紧急信息）"
H_NEXT_STEPS = "五、下一步工作"

OVERALL_INTRO = "{day}，全区各单位应报{expected}个，已报{reported}个。主要数据如下："
NO_INDICATORS = "当日无统计指标数据。"
COL_INDICATOR = "指标"
COL_TOTAL = "全区合计"
COL_TOWNSHIP = "乡镇（街道）"
ROW_TOTAL = "合计"
NO_TOWNSHIPS = "当日无乡镇（街道）报送数据。"

TIMELINESS_TEXT = (
    "应报{expected}个单位，已报{received}个（按时报送{on_time}个，零报告{zero}个，迟报{late}个），"
    "未报{not_filed}个（待报{pending}个，逾期未报{overdue}个，缺报{missing}个）；按时报送率{rate}。"
)
ACCOUNTABILITY_TEXT = "目前尚有{count}件迟报、漏报问责事项未办结。"
LATE_LIST_INTRO = "迟报、未报单位如下："
NO_LATE = "无迟报、未报单位。"
COL_UNIT = "单位"
COL_STATUS = "状态"
COL_SUBMITTED = "报送时间"
NOT_SUBMITTED = "未报送"

NO_URGENT = "当日无专题报送。"
COL_SENT = "报送时间"
COL_FROM = "报送单位"
COL_KIND = "类别"
COL_CONTENT = "内容"
COL_ACK = "签收"
NOT_ACKNOWLEDGED = "未签收"

NO_NEXT_STEPS = "（指挥部办公室尚未填写。）"

CHART_TOWNSHIPS = "各乡镇（街道）主要数据"
CHART_TIMELINESS = "报送及时情况（应报{expected}个）"
CHART_NO_DATA = "暂无数据"
FIGURE_TOWNSHIPS = "图1  各乡镇（街道）主要数据"
FIGURE_TIMELINESS = "图2  报送及时情况"

TIMELINESS_LABELS = {
    "on_time": "按时报送",
    "zero": "零报告",
    "late": "迟报",
    "pending": "待报",
    "overdue": "逾期未报",
    "missing": "缺报",
}

PAGE = "第 {page} 页"


def chinese_date(day: datetime.date) -> str:
    """2021-08-05 → 2021年8月5日 (公文 dates carry no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def clock(moment: datetime.datetime | None) -> str:
    """An aware instant as Beijing wall-clock `8月5日 11:42`, or 未报送."""
    if moment is None:
        return NOT_SUBMITTED
    local = moment.astimezone(SHANGHAI)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def on_time_rate(timeliness: dict[str, int]) -> str:
    """On-time and zero reports over the expected count, as `95.0%`; `—` when nothing was expected."""
    expected = timeliness.get("expected", 0)
    if not expected:
        return "—"
    good = timeliness.get("on_time", 0) + timeliness.get("zero", 0)
    return f"{100 * good / expected:.1f}%"


def reported(timeliness: dict[str, int]) -> int:
    """已报, as `reporting.completeness.Tally` counted it: only units with a filing."""
    return timeliness.get("received", 0)


def next_steps_paragraphs(text: str) -> list[str]:
    """The office's next steps, one paragraph per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]
