"""Titles of text exported from web pages: the site's toolbar, breadcrumb and stamps are not the title.

Our own lines in the shapes the 31 provincial work reports of 2026 arrive in (see
benchmarks/findings_unseen.py): 27 of their 31 first lines carried such furniture.
"""

from __future__ import annotations

import pytest

from extractors.document import extract_document
from extractors.text.title import clean_title


@pytest.mark.parametrize(("line", "title"), [
    ("下载打印全屏收藏【字号：加大还原减小】2026年示例省政府工作报告——2026年1月27日在示例省第十四届人民代表大会第五次会议上",
     "2026年示例省政府工作报告——2026年1月27日在示例省第十四届人民代表大会第五次会议上"),
    ("当前位置：首页>政务信息>示例要闻2026年示例自治区政府工作报告发表时间：2026-02-09 09:45:30",
     "2026年示例自治区政府工作报告"),
    ("2026年示例省人民政府工作报告2026年02月10日 07时41分", "2026年示例省人民政府工作报告"),
    ("政府工作报告——2026年1月27日在示例省第十四届人民代表大会第四次会议上省长 某某2026-01-31 07:00:44",
     "政府工作报告——2026年1月27日在示例省第十四届人民代表大会第四次会议上省长 某某"),
    # Nothing to remove: unchanged.
    ("ClaimLedger 示例：算力与能源", "ClaimLedger 示例：算力与能源"),
    ("2025年工作回顾", "2025年工作回顾"),
    ("时间管理的艺术", "时间管理的艺术"),
])
def test_clean_title(line: str, title: str) -> None:
    assert clean_title(line) == title


def test_a_text_documents_title_and_place_survive_the_furniture() -> None:
    text = ("下载打印全屏收藏【字号：加大还原减小】2026年吉林省政府工作报告\n\n来源：某日报\n\n"
            "一、2025年工作回顾\n\n全省地区生产总值增长5.2%。\n")
    d = extract_document(text.encode("utf-8"), source="report.txt")
    assert d.title == "2026年吉林省政府工作报告"
    [figure] = d.numbers
    assert (figure.scope, figure.period) == ("吉林省", "2025")
