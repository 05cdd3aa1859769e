"""A title line as a web page's text export leaves it: site furniture around the real title.

Text copied or scraped from a government or news site often starts with the
page's toolbar and breadcrumb glued to the title ("下载打印全屏收藏【字号：加大还原减小】
2026年吉林省政府工作报告——…", "当前位置：首页>政务信息>宁夏要闻2026年宁夏…报告发表时间：
2026-02-09 09:45:30").  A reader wants the title; the document year and place
are read from it too.  Pure string work, no I/O.
"""

from __future__ import annotations

import re

#: Toolbar words, font-size switches and share buttons at the start of a line.
_TOOLBAR = re.compile(r"^(?:(?:下载|打印|全屏|收藏|分享|关闭窗口|关闭|返回顶部|返回)[:：]?\s*"
                      r"|【\s*(?:字号|字体)[:：][^】]{0,16}】\s*)+")
#: A breadcrumb trail (您的位置：首页>要闻>…); the title follows its last step.
_BREADCRUMB = re.compile(r"^(?:您的位置|当前位置|所在位置)[:：]\s*[^\n]*[>＞›»]\s*")
#: Where a title glued to the breadcrumb's last step starts: its year (2026年…) close to the front.
_YEAR_START = re.compile(r"(?:19|20)\d{2}\s*年")
#: Publication stamps and widgets after the title.
_TRAILER = re.compile(r"\s*(?:发表时间|发布时间|发布日期|时间|来源|阅读量|浏览次数)[:：].*$"
                      r"|\s*(?:19|20)\d{2}[-年]\d{1,2}[-月]\d{1,2}日?\s+\d{1,2}[:时]\d{2}(?:[:分]\d{2}秒?|分)?\s*$"
                      r"|\s*【\s*(?:字号|字体)[:：][^】]{0,16}】.*$")


def clean_title(line: str) -> str:
    """``line`` without the site furniture before and after the title (unchanged when there is none)."""
    title = _TOOLBAR.sub("", line.strip())
    crumb = _BREADCRUMB.match(title)
    if crumb:
        rest = title[crumb.end():]
        year = _YEAR_START.search(rest, 0, 20)
        title = rest[year.start():] if year else rest
    return _TRAILER.sub("", title).strip() or line.strip()
