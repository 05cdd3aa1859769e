"""Check-worthiness of one sentence: is it a factual claim worth checking, and of what kind.

The judgement is a transparent score: each piece of evidence found in the
sentence (a quantity, a named entity, a comparison, a reporting phrase, …)
is a *cue* with a weight, and the score combines them as a noisy-or
(``1 - Π(1 - w)``), so any one cue adds to the score but never pushes it past
1.  Sentences that are not assertions at all — headings, keyword lines,
recommendations, meta notes, reference entries, captions, opinions — are
*gated*: their score is capped at :data:`GATE_CAP`, below :data:`THRESHOLD`,
whatever cues they carry.  Every cue and gate has a stable id (``cue.*``,
``gate.*``) stored with the sentence, so a reader can see why it scored.

The quantities are the numeric assertions :mod:`extractors.numbers.assertions`
found in the sentence (required: there is one number recognizer, and the judge
sees what the store keeps); entities found by a NER backend may be passed in,
and without them a shape pattern stands in for named actors.  A vague
magnitude ("数十亿", "dozens") is a weaker cue than a stated figure.

The kind comes from the strongest evidence (see :func:`_kind`): a quotation
introduced by a speech verb, a figure with a future marker (prediction), two
quantities set side by side (comparative: "¥16 vs ¥438", "比o1低96%"), a stated
figure or reported data (statistical), a comparison, a cause-effect, an action
(event).  The kind-only patterns add nothing to the score, so the kind rules
never move a sentence across :data:`THRESHOLD`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from extractors.lexicon import (
    CAPTION,
    CAPTION_LABEL,
    CIRCLED_MARKER_CLASS,
    FOOTNOTE_MARKER_CLASS,
    HAN,
    MARKDOWN_HEADING_FRAGMENT,
    NUMBERED_HEADING_FRAGMENT,
    SOURCE_CUE,
)
from extractors.types import Entity, NumericAssertion

logger = logging.getLogger(__name__)

#: A sentence is a claim when its score is at least this.  0.5 means: one
#: strong cue (a quantity, reported data) plus one supporting cue, or three
#: weak ones.  Measured on the gold seeds (tests/test_claims.py).
THRESHOLD = 0.5
#: Gated sentences never score above this, so they never become claims.
GATE_CAP = 0.2

#: Weight of each cue in the noisy-or.
WEIGHTS: dict[str, float] = {
    "cue.quantity": 0.45,
    "cue.vague_quantity": 0.2,
    "cue.reported_data": 0.35,
    "cue.attribution": 0.25,
    "cue.superlative": 0.25,
    "cue.comparison": 0.2,
    "cue.change": 0.2,
    "cue.causal": 0.15,
    "cue.effect": 0.25,
    "cue.event": 0.3,
    "cue.time_scope": 0.2,
    "cue.entity": 0.15,
    "cue.named_actor": 0.2,
    "cue.named_actors": 0.25,
    "cue.citation": 0.2,
    "cue.key_figure": 0.15,
}
#: Entity labels that name a specific actor or artefact (a country alone does not).
ACTOR_LABELS = frozenset({"ORG", "PERSON", "MODEL", "PRODUCT", "LAW", "WORK", "NORP", "FAC", "EVENT"})
#: A sentence naming at least this many distinct actors (companies, models) is specific.
MANY_ACTORS = 3
#: Multiplier for sentences that impute intent ("企图", "试图"): editorial, not checkable.
RHETORIC_FACTOR = 0.75


@dataclass(frozen=True, slots=True)
class Judgement:
    """The check-worthiness verdict for one sentence.

    ``clauses`` are sentence-relative sub-spans when a sentence joins several
    assertions with ``；``/``;`` and only some of them are claims.
    """

    score: float
    is_claim: bool
    kind: str
    cues: tuple[str, ...] = ()
    attribution: str | None = None
    attribution_cue: str | None = None
    clauses: tuple[tuple[int, int], ...] = ()


# --------------------------------------------------------------------------- cue patterns

_CJK = HAN  # Chinese characters (the lexicon's \p{Han})
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}\s*(?:年|—|-|–|～|~|s\b)|\b(?:in|since|by|from|until|of)\s+(?:1[89]|20)\d{2}\b|(?:截至|截止|到|至|自)\s*(?:1[89]|20)\d{2}")
_MONTH_DAY = re.compile(r"(?<!\d)\d{1,2}\s*(?:月|日|号)|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|季度|上半年|下半年|年初|年底|年中|近年来|今年|去年|明年")
_REPORTED = re.compile(
    r"数据显示|据统计|统计显示|统计数据|研究表明|研究显示|调查显示|调查发现|报告显示|报告指出|数据表明|测算|"
    r"据测算|据估计|估计|\b(?:data|figures|statistics|surveys?|studies|study|research|report)\s+(?:shows?|suggests?|finds?|found|indicates?)\b",
    re.IGNORECASE,
)
_SUPERLATIVE = re.compile(
    rf"最(?![终后近初])[{_CJK}]|首次|首个|首家|第一|领先|远超|居首|之最|前所未有|历史新高|全球[首最]|唯一|"
    r"\b(?:largest|biggest|highest|lowest|most|first|leading|record|best|only|fastest)\b",
    re.IGNORECASE,
)
# A comparison sets two things side by side; a change compares one thing over time.
_COMPARISON = re.compile(
    r"超过|超出|高于|低于|多于|少于|大于|小于|不及|相比|相较|较(?:上年|去年|同期|\d|[{cjk}]{{0,6}}?(?:增长|下降|提升|减少))|"
    r"媲美|比肩|持平|不相上下|相当于|[优劣]于|前列|前茅|倍|"
    r"\b(?:more|less|fewer|greater|higher|lower|better|worse|larger|smaller|faster|cheaper)\s+than\b|\bcompared\b|"
    r"\b(?:ahead of|behind|on par with|outperform(?:s|ed)?|surpass(?:es|ed)?|exceed(?:s|ed)?|overtook|overtaken)\b".format(cjk=_CJK),
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"增长|下降|增加|减少|提升|降至|升至|达到|翻番|翻倍|骤降|暴跌|激增|下滑|萎缩|放缓|"
    r"\b(?:rose|fell|grew|increased|decreased|declined|doubled|tripled|dropped|jumped|climbed|halved)\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"使得|因而|因此|从而|由于|得益于|"
    r"\b(?:because|due to|thanks to|driven by|as a result|therefore|consequently)\b",
    re.IGNORECASE,
)
# An explicit cause-effect verb names what the cause did: checkable on its own.
_EFFECT = re.compile(
    r"导致(?!的)|致使|造成了|引发了|归因于|"
    r"\b(?:led to|leads to|lead to|caused|causes|resulted in|results in|attributed to)\b",
    re.IGNORECASE,
)
# "这(种…)大大增加了…": a demonstrative subject (the measure just described) and its effect.
# Only a hint for the kind: such sentences are often editorial, so it adds no score.
_EFFECT_OF_THIS = re.compile(
    r"(?:^|[，,；;])\s*这(?:一|种|些)?[{cjk}]{{0,6}}?(?:大大|极大|显著|严重|直接|进一步)?"
    r"(?:增加|提高|降低|削弱|加剧|推高|拉低|减少)了".format(cjk=_CJK)
)
_EVENT = re.compile(
    r"发布|宣布|推出|上线|上架|接入|列入|纳入|签署|颁布|出台|通过了|成立|组建|建立|开源了|全面开源|宣布开源|收购|投资|起诉|禁止|批准|启动|召开|"
    r"举行|更名|实施[^，,。；]{0,12}?(?:制度|措施|制裁|管制|禁令|规则|条例|法案)|要求|施压|否决|限制|取消|退出|加入|补贴|贡献|设厂|迫使|停止|暂停|"
    r"\b(?:released|announced|launched|signed|enacted|passed|acquired|banned|approved|published|introduced|added|"
    r"developed|built|opened|closed|sold|bought|invested|raised|imposed|restricted|blocked|required|joined|founded|"
    r"began|started|offered|listed|adopted|deployed|withdrew|suspended)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"预计|预测|有望|将会|势必|必将|未来[{cjk}]{{0,4}}将|(?:到|至)\s*20[3-9]\d\s*年|"
    r"\bby\s+20[3-9]\d\b|将(?=[会要]|引领|成为|推动|迎来|进入|实现|带来|持续|继续|面临|对|造成|在|进一步|使|有|更|达到|超过)|"
    r"可能(?:会)?(?=超过|达到|突破|增长|增加|下降|减少|降至|升至|翻番|翻倍)|"
    r"\b(?:will|is expected to|are expected to|forecasts?|projected to|likely to)\b|"
    r"\b(?:could|may|might)\s+(?:reach|exceed|top|rise|fall|grow|double|triple|halve)\b".format(cjk=_CJK),
    re.IGNORECASE,
)
# Imputed intent ("企图", "希望", "致力于"): what an actor wants is not checkable.
_RHETORIC = re.compile(r"试图|企图|图谋|妄图|希望|致力于|意在|力图|谋求|\b(?:seeks? to|attempts? to|aims? to|hopes? to)\b")
# Without entities from a NER backend: places (entity) and named actors by shape.
_FALLBACK_PLACE = re.compile(r"中国|美国|日本|韩国|英国|德国|法国|欧盟|俄罗斯|印度|欧洲|China|United States|U\.S\.|Europe|Japan")
_FALLBACK_ACTOR = re.compile(
    rf"《[^》]{{2,40}}》|[{_CJK}]{{2,10}}(?:公司|集团|委员会|研究院|研究所|大学|商务部|工信部|科技部)"
    r"|(?<![A-Za-z0-9])[A-Z][a-z]+[A-Z][A-Za-z0-9-]*(?![A-Za-z0-9])"  # DeepSeek, OpenAI, PyTorch (not "AI")
    r"|(?<![A-Za-z0-9])[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)+(?![A-Za-z0-9])"  # Department of Commerce
    r"|(?<=[a-z,;] )[A-Z][a-z]+(?![A-Za-z0-9])"  # a capitalized word inside an English sentence: Huawei
    r"|台积电|英伟达|华为|阿里巴巴|腾讯|百度|字节跳动|微软|亚马逊|谷歌|三星"
)
# A date to the month ("2025年1月", "January 2025"): what happened then is an event.
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_TO_MONTH = re.compile(
    r"(?:1[89]|20)\d{2}\s*年\s*\d{1,2}\s*月|(?<!\d)\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    rf"|\b{_MONTHS}\s+(?:\d{{1,2}},\s+)?\d{{4}}|\b\d{{1,2}}\s+{_MONTHS}\b|\b{_MONTHS}\s+\d{{1,2}}\b"
)
# --- kind-only patterns (they name the kind, they add nothing to the score)
# A figure as the patterns below see it: digits (with a currency sign or unit), or a Chinese numeral.
_FIG = r"(?:[¥$€£]\s?)?\d[\d,.]*(?:\s?(?:%|％|percent|per cent|万|亿|元|美元|bn|mn|million|billion))?"
_FIG_CN = r"(?:[\d.]+|[零一二三四五六七八九十两百千]+)"
_MULTIPLE_EN = r"(?:(?<![\d.])\d[\d,.]*|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred))"
_ADJ_EN = (r"(?:more|less|fewer|greater|higher|lower|cheaper|costlier|dearer|larger|smaller|bigger|faster|slower|"
           r"better|worse|longer|shorter|stronger|weaker|denser|more expensive|less expensive)")
# A comparand that is a point in time ("than in 2018", "the 2018 count", "比上年", "2023年的"): the
# figure measures a change of one quantity over time, which is a statistic, not a comparison.
_TIME_COMPARAND = re.compile(
    r"(?:1[89]|20)\d{2}|\b(?:last|previous|prior|earlier|ago|before|same period|same quarter|a year)\b|"
    r"上年|去年|前年|同期|上月|上季度|上一年|年初|此前|以往|过去|之前|以前",
    re.IGNORECASE,
)
# Two quantities set side by side: the comparand group ``x`` is checked against _TIME_COMPARAND.
_TWO_PARTY = [
    # "¥16 vs ¥438", "¥16 per million tokens, against ¥438 for o1", "$6m, compared with $100m": a figure each side.
    re.compile(rf"{_FIG}[^.;:。；]{{0,40}}?\s(?:vs\.?|versus|against|compared (?:with|to)|as against)\s+"
               rf"(?P<x>(?:only |just |about |roughly |some )?{_FIG}[^,;。；，]{{0,40}})", re.IGNORECASE),
    # "27.4 times cheaper", "three times larger than Y": a multiple with a comparative adjective.
    re.compile(rf"{_MULTIPLE_EN}[\s-]*(?:times|fold|x|×)\s+{_ADJ_EN}\b(?:\s+than\s+(?P<x>[^,;.]{{1,40}}))?",
               re.IGNORECASE),
    # "93.3% smaller than standard attention", "40 per cent cheaper than GPT-4o".
    re.compile(rf"\d[\d,.]*\s*(?:%|percent|per cent|percentage points?)\s+{_ADJ_EN}\s+than\s+(?P<x>[^,;.]{{1,40}})",
               re.IGNORECASE),
    # "three times the US level", "twice that of Japan", "five times as large as": a multiple of another quantity.
    re.compile(rf"(?:\b(?:twice|double)|{_MULTIPLE_EN}[\s-]*times)\s+(?:as\s+\w+\s+as\s+|the\s+|that\s+of\s+|those\s+of\s+)"
               rf"(?P<x>[^,;.]{{1,40}})", re.IGNORECASE),
    # "比o1低96%", "比美国多出三倍", "比闭源模型便宜得多": 比 as a preposition before an adjective or change verb
    # (not 同比/环比, year-on-year, nor 比例/比重/相比/对比…).
    re.compile(r"(?<![占对相好无类排评攀可堪正反同环])比(?![重例率如较肩拟值分赛特亚利尔喻方照对划武试价])"
               r"(?P<x>[^，,。；;：:]{1,20}?)(?:高出|低出|多出|高|低|多|少|快|慢|大|小|强|弱|贵|便宜|长|短|领先|落后|"
               r"增加|减少|提高|降低|下降|增长|提升|上升)"),
    # "是美国的1.5倍", "为后者的三倍", "三倍于美国": a multiple of another quantity (a share "是全球的15%" is a statistic).
    re.compile(rf"(?:是|为|达|达到|约为|接近|超过|不到|不足)(?P<x>[^，,。；;的]{{1,20}})的\s*(?:约|近|将近|逾|超过)?\s*"
               rf"{_FIG_CN}\s*(?:多)?倍"),
    re.compile(rf"{_FIG_CN}\s*倍于(?P<x>[^，,。；;]{{1,20}})"),
    # "相当于o1的二十七分之一", "相当于美国的60%": an explicit equivalence between two quantities.
    re.compile(rf"相当于(?P<x>[^，,。；;的]{{1,20}})的\s*(?:约|近|将近)?\s*(?:{_FIG_CN}\s*(?:倍|%|％|/\s*\d+)|"
               r"[一二三四五六七八九十百千]+分之[零一二三四五六七八九十百千]+|百分之[零一二三四五六七八九十点]+|[一二三四五六七八九]成)"),
    # "远超美国的1.2亿次": a bound whose other side is another party's figure
    # (an absolute figure: "低于设计值的一半" is a threshold on one quantity, not a second quantity).
    re.compile(rf"(?:远超|远高于|远低于|高于|低于|超过|超出|多于|少于|不及)(?P<x>[^\d，,。；;的]{{1,15}})的\s*"
               rf"(?:约|近)?\s*{_FIG_CN}\s*(?:万|亿)?\s*(?:美元|元|次|个|家|台|人|项|篇|吨|EFLOPS|TOPS|tokens?)"),
]
# "与o1的438元相比": the comparand carries a figure; a comparison when the sentence states another outside it.
_FIGURED_COMPARAND = re.compile(r"(?:与|同|和|跟)(?P<x>[^，,。；;]{0,20}?\d[^，,。；;]{0,20}?)(?:相比|相较|比较)")
# "X is reported to have needed N", "reportedly": a figure presented as reported data inside a sentence
# about something else; the figure, not the surrounding action, is what a checker verifies.
_REPORTED_FIGURE = re.compile(r"\b(?:is|are|was|were)\s+(?:reported|estimated|said|believed)\s+to\b|\breportedly\b",
                              re.IGNORECASE)
# Who leads where ("全球主要的晶圆代工基地", "拥有…方面的优势"): a ranking, when no action is stated.
_RANKING = re.compile(
    r"(?:全球|世界|国际)(?:主要|重要|领先)|优势|劣势"
    r"|\b(?:advantage over|edge over|lead over|one of the (?:world's|largest|leading|biggest))\b",
    re.IGNORECASE,
)
_MARKER = re.compile(rf"[{FOOTNOTE_MARKER_CLASS}]|\[\d{{1,3}}\]")
# A pointer to a figure or table ("见图1", "如图5所示"): the sentence reports shown data.
# "图2比较了中美两国…的参与情况。" / "Table 3 lists the projects by region.": says what the document's own
# figure shows and nothing more (a sentence that goes on to state a fact has a comma or a figure after the verb).
_FIGURE_DESCRIPTION = re.compile(
    rf"^\s*(?:如)?{CAPTION_LABEL}\s*(?:比较|对比|展示|显示|列出|给出|描述|呈现|反映|汇总|概括)了?[^，,。；;：:\d]*"
    r"(?:情况|对比|分布|变化|趋势|结构|构成|比较|差异|概况|数据|指标|清单|名单)[。.]?$"
    rf"|^\s*{CAPTION_LABEL}\s+(?:compares|shows|presents|lists|summari[sz]es|depicts)"
    r"\s+[^,;:\d]*?\b(?:by|across|over|for each|per)\b[^,;:\d]*[.]?$", re.IGNORECASE)
_FIGURE_REF = re.compile(rf"见{CAPTION_LABEL}|{CAPTION_LABEL}\s*所示|\(see {CAPTION_LABEL}\)", re.IGNORECASE)
# A page number, circled markers and "作者，作者：《" glued after a sentence: the page's footnote bodies.
_GLUED_NOTE = re.compile(
    r"\d{{0,4}}[{circled}]+\s*(?=[{cjk}·]{{2,12}}(?:[，,、][{cjk}·]{{2,12}})*(?:等)?\s*[:：]\s*《)".format(cjk=_CJK, circled=CIRCLED_MARKER_CLASS)
)
# Quotation marks around a figure: a mentioned threshold or name, not a figure asserted here.
_QUOTED = re.compile(r"“[^”]{0,40}”|\"[^\"]{0,40}\"")

# Attribution: who said or reported it, and with which phrase.
# "说" only right before a quotation: elsewhere it is 据说, 小说, 学说…
_SPEECH = "认为|(?<![又简号堪俗也被统并自名])称(?![为之作])|表示|指出|宣布|透露|坦言|声称|说(?=\\s*[：:，,]?\\s*[“「])"
# A speech verb that introduces a quotation: "X认为，“…”", "X said: \"…\"", "\"…,\" X said".
_QUOTE_INTRO = re.compile(
    rf"(?:{_SPEECH}|写道|强调|回应|\b(?:said|says|told|stated|wrote)\b)\s*[，,：:]?\s*[“\"「]"
    rf"|[,，][”\"」]\s*(?:[\w.'’-]+\s+){{1,5}}(?:said|says|told|wrote)\b"
)
_ATTR_JU = re.compile(r"据(?P<who>[^，,。；：:]{1,24}?)(?P<cue>报道|统计|数据|显示|称|介绍|披露|估计|测算|调查)")
_ATTR_SPEECH = re.compile(rf"(?P<who>[^，,。；：:“”\s]{{2,20}}?)(?P<cue>{_SPEECH})(?=[，,：:“]|[{_CJK}])")
_ATTR_DATA = re.compile(r"(?P<who>[^，,。；：:\s]{0,20}?)(?P<cue>数据显示|研究表明|调查显示|报告显示|报告指出|统计显示|数据表明)")
_ATTR_EN = re.compile(r"\baccording to (?P<who>(?:the )?[A-Z][\w&.'-]*(?:\s+(?:of\s+)?[A-Z][\w&.'-]*){0,6})", re.IGNORECASE)
_ATTR_EN_SAID = re.compile(r"(?P<who>\b[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,5})\s+(?P<cue>said|says|stated|reported|reports|estimated|estimates|found|noted|announced)\b")
_NOT_WHO = re.compile(r"^(?:本文|笔者|我们|我|有人|人们|一般|普遍|广泛|学界|通常|被|可以|也|还|并|则|均|都|这|该|其|他们|它)")

# Gates: sentence shapes that are not assertions.
_HEADING_NUMBER = re.compile(rf"^\s*(?:{MARKDOWN_HEADING_FRAGMENT}|{NUMBERED_HEADING_FRAGMENT})")
_FINAL_PUNCT = re.compile(rf"[。！？.!?…][”’」』)）\]]*[{FOOTNOTE_MARKER_CLASS}]*$")
_META_LINE = re.compile(
    r"^\s*(?:关键词|关键字|key\s*words?|中图分类号|文献标志码|文献标识码|文章编号|DOI|收稿日期|基金项目|作者简介|"
    rf"通讯作者|引用格式|相关阅读|{SOURCE_CUE}|references?|参考文献)\s*[:：]",
    re.IGNORECASE,
)
_META_NOTE = re.compile(r"^\s*[（(]?\s*(?:注|note|编者按|免责声明|disclaimer)\s*[:：]|^\s*[（(]?\s*本文", re.IGNORECASE)
_REFERENCE = re.compile(
    r"^\s*\[\d+\]|^[{cjk}·]{{2,12}}(?:[，,、][{cjk}·]{{2,12}})*(?:等)?[:：]\s*《|》\s*[，,]?\s*《[^》]+》\s*\d{{4}}\s*年\s*第\s*\d+\s*期|"
    r"^[A-Z][a-z]+,\s+[A-Z]\..*\(\d{{4}}\)|\bet al\.|^\s*https?://\S+\s*$".format(cjk=_CJK)
)
_AUTHOR_LINE = re.compile(r"^[{cjk}]{{2,4}}(?:[，,、\s][{cjk}]{{2,4}}){{0,5}}(?:$|\s*[（(][^）)]*(?:大学|学院|研究院|研究所|University))|^\s*(?:By|Written by|Author[s]?:)\s+[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){{0,3}}(?:,|\s+and\b|$)|^[（(][^）)]*(?:大学|学院|研究院|研究所|研究中心|University|Institute)[^）)]*[）)]$".format(cjk=_CJK))
_RECOMMEND = re.compile(
    r"^\s*(?:(?:一方面|另一方面|同时|因此|为此|对此|首先|其次|再次|最后|此外|总之|[一二三四五六七八九十]是|第[一二三四五六七八九十]|具体而言|具体来说)\s*[，,、]?\s*)?"
    r"[{cjk}A-Za-z]{{0,8}}?(?:(?<![主重只想摘纲概必需将简首还])要(?![素求点素闻害])|应当|应该|(?<![供响适反相效对回感答呼顺])应(?![用对急有])|需要|需(?![求])|必须|务必|亟需|亟须|建议|宜)"
    r"|^\s*(?:一方面|另一方面)\s*[，,]?\s*(?:探索|组建|建立|设立|推动|推行|制定|设计|对内|对外|加快|支持|完善|强化|构建|鼓励|引导|"
    r"实施|深化|打造|加强|促进|提升|积极|大力|重点|主导|将)"
    r"|(?:你|您)们?(?:需要|可以|应该|必须|得|只需)|^\s*请|请注意|^\s*注意\s*[：:，,]"  # instructions to the reader
    r"|^\s*(?:这就?启示我们|这就要求我们|为此)|^\s*建议|\b(?:should|must|ought to|needs? to|we recommend|it is recommended)\b".format(cjk=_CJK),
    re.IGNORECASE,
)
_OPINION = re.compile(r"^\s*(?:显然|可见|由此可见|总之|综上|总而言之|毋庸置疑|无疑|笔者认为|本文认为|我们认为|本文|笔者|in our view|we (?:believe|argue|think))", re.IGNORECASE)
_QUESTION = re.compile(r"[？?][”’」』)）]*$")
# "如何…成为…问题": states a problem to solve, not a finding.
_PROBLEM = re.compile(r"(?:如何|怎样|怎么|是否)[^。；;]*(?:问题|课题|难题|挑战)[。！.]?$")
_CLAUSE_SEP = re.compile(r"[；;]")


def judge_sentence(
    text: str,
    *,
    language: str,
    numbers: Sequence[NumericAssertion],
    entities: Sequence[Entity] = (),
    has_citation_marker: bool = False,
    section: str | None = None,
    scenario: bool = False,
    scorer: Scorer | None = None,
) -> Judgement:
    """Score one sentence's check-worthiness and name its kind, cues and attribution.

    ``numbers`` are the numeric assertions extracted for the sentence (as
    :func:`extractors.document.extract_document` passes them); they are the
    only quantities the judge sees, so a sentence whose only digits are in
    names ("3D", "UI-TARS-1.5") has no quantity.  Offsets in ``numbers`` and
    ``entities`` are relative to ``text``.  ``language`` is accepted for
    callers' symmetry; the cue patterns cover both Chinese and English and do
    not depend on it.

    ``section`` is the tense of the document section holding the sentence
    ("retrospective" or "prospective", see :mod:`extractors.claims.context`);
    it is recorded as a ``context.*`` id for a learned scorer and does not move
    the rules' own score.  ``scenario`` marks a sentence of a made-up case
    ("Consider an enterprise that…", "假设…"): gated as ``gate.hypothetical``.
    With a ``scorer`` (the learned model of
    :mod:`extractors.claims.model`), the score is its calibrated probability
    over the sentence and these ids, and a claim is a score at or above the
    scorer's threshold; the gates stay hard either way: a gated sentence is
    never a claim and scores at most :data:`GATE_CAP`.
    """
    full = text
    text = _without_glued_note(text)
    if len(text) < len(full):
        numbers = [n for n in numbers if n.end <= len(text)]
        entities = [e for e in entities if e.end <= len(text)]
    cues = _cues(text, numbers, entities, has_citation_marker)
    gates = _gates(text, numbers)
    if "cue.quantity" in cues and _KEY_FIGURE.match(text.strip()):
        # "• API list price: ¥16 vs ¥438 per million tokens": a fact line, not a heading.
        cues = [c for c in WEIGHTS if c in {*cues, "cue.key_figure"}]
        gates = [g for g in gates if g != "gate.heading"]
    if scenario:
        gates.append("gate.hypothetical")
    who, attr_cue = _attribution(text)
    if attr_cue and "cue.attribution" not in cues and not _REPORTED.fullmatch(attr_cue):
        cues.append("cue.attribution")
    score = _combine(cues)
    if _RHETORIC.search(text):
        score *= RHETORIC_FACTOR
        gates.append("penalty.rhetoric")
    context = [f"context.{section}"] if f"context.{section}" in CONTEXT_IDS else []
    threshold = THRESHOLD
    if scorer is not None:
        score = scorer.probability(text, feature_vector((*cues, *gates, *context)))
        threshold = scorer.threshold
    gated = any(g.startswith("gate.") for g in gates)
    if gated:
        score = min(score, GATE_CAP)
    kind = _kind(text, cues, numbers)
    is_claim = score >= threshold and not gated
    clauses = _clauses(text, numbers) if is_claim else ()
    if is_claim and not clauses and len(text) < len(full):
        clauses = ((0, len(text.rstrip())),)
    return Judgement(
        score=round(score, 4),
        is_claim=is_claim,
        kind=kind,
        cues=tuple(cues + gates + context),
        attribution=who,
        attribution_cue=attr_cue,
        clauses=clauses,
    )


#: Every gate and penalty id :func:`judge_sentence` may report, in a fixed order.
GATE_IDS: tuple[str, ...] = (
    "gate.heading", "gate.table", "gate.meta_line", "gate.meta_note", "gate.caption",
    "gate.reference", "gate.author_line", "gate.recommendation", "gate.opinion", "gate.question",
    "gate.problem_statement", "gate.forecast_without_figure", "penalty.rhetoric", "gate.hypothetical",
    "gate.figure_description",
)
#: Where the sentence stands (:mod:`extractors.claims.context`): features, not evidence of the rules' score.
CONTEXT_IDS: tuple[str, ...] = ("context.retrospective", "context.prospective")
#: The rule features a learned scorer reads from a judgement: each cue, each gate, then the context.
CUE_FEATURES: tuple[str, ...] = (*WEIGHTS, *GATE_IDS, *CONTEXT_IDS)


class Scorer(Protocol):
    """What :func:`judge_sentence` needs of a learned scorer (:class:`extractors.claims.model.CheckworthinessModel`)."""

    @property
    def threshold(self) -> float: ...

    def probability(self, text: str, cues: Sequence[int]) -> float: ...


def feature_vector(ids: Iterable[str]) -> tuple[int, ...]:
    """1/0 for each id of :data:`CUE_FEATURES` among ``ids``."""
    present = set(ids)
    return tuple(int(feature in present) for feature in CUE_FEATURES)


def cue_vector(judgement: Judgement) -> tuple[int, ...]:
    """1/0 for each id of :data:`CUE_FEATURES` present in ``judgement.cues``.

    The learned check-worthiness model (:mod:`extractors.claims.model`) takes the
    rules' evidence as features, so it reads them from the judgement rather
    than re-running (or copying) the cue patterns.
    """
    return feature_vector(judgement.cues)


#: A list item that states a figure under a short label ("• Training compute: about 1/10 …",
#: "- **算力规模**：…"): briefs put their key figures in such lines, often without a full stop.
_KEY_FIGURE = re.compile(r"[-*•·▪●◦–]\s*(?:\*\*)?[^:：\n*]{2,40}?(?:\*\*)?\s*[:：]\s*\S")


def _without_glued_note(text: str) -> str:
    """The sentence without a footnote body the PDF text layer glued to its end.

    "…从而加速模型端侧部署，98①②邓建鹏，赵治松：《…》…": a page number, a run
    of circled markers and an author list before "：《" start the page's notes.
    """
    m = _GLUED_NOTE.search(text)
    return text[: m.start()] if m and m.start() > 0 else text


def _combine(cues: Sequence[str]) -> float:
    """Noisy-or of the cue weights: 1 - Π(1 - w)."""
    rest = 1.0
    for cue in cues:
        rest *= 1.0 - WEIGHTS.get(cue, 0.0)
    return 1.0 - rest


def _cues(text: str, numbers: Sequence[NumericAssertion], entities: Sequence[Entity],
          cited: bool) -> list[str]:
    """Evidence ids in a fixed order (the order of :data:`WEIGHTS`)."""
    found = set()
    has_time = bool(_YEAR.search(text) or _MONTH_DAY.search(text))
    quantity = _quantity_cue(numbers)
    if quantity:
        found.add(quantity)
    if has_time or any(n.time_scope for n in numbers):
        found.add("cue.time_scope")
    for cue, pattern in (
        ("cue.reported_data", _REPORTED),
        ("cue.superlative", _SUPERLATIVE),
        ("cue.comparison", _COMPARISON),
        ("cue.change", _CHANGE),
        ("cue.causal", _CAUSAL),
        ("cue.effect", _EFFECT),
        ("cue.event", _EVENT),
    ):
        if pattern.search(text):
            found.add(cue)
    if entities or _FALLBACK_PLACE.search(text):
        found.add("cue.entity")
    actors = {e.text for e in entities if e.label in ACTOR_LABELS}
    if actors or _FALLBACK_ACTOR.search(text):
        found.update(("cue.entity", "cue.named_actor"))
    if len(actors) >= MANY_ACTORS:
        found.add("cue.named_actors")
    if cited or _MARKER.search(text) or _FIGURE_REF.search(text):
        found.add("cue.citation")
    return [c for c in WEIGHTS if c in found]


def _quantity_cue(numbers: Sequence[NumericAssertion]) -> str | None:
    """``cue.quantity`` for a stated figure, ``cue.vague_quantity`` for "数十亿"/"dozens", else None."""
    counted = [n for n in numbers if not _is_date_like(n)]
    if any(not _is_vague(n) for n in counted):
        return "cue.quantity"
    return "cue.vague_quantity" if counted else None


def _has_quantity(numbers: Sequence[NumericAssertion]) -> bool:
    """A stated quantity (not vague) that is not a year or a date."""
    return _quantity_cue(numbers) == "cue.quantity"


_VAGUE_SURFACE = re.compile(r"[几数]|(?:dozens?|hundreds?|thousands?|millions?|billions?)\b", re.IGNORECASE)


def _is_vague(number: NumericAssertion) -> bool:
    """"数十亿", "几百家": an order of magnitude, not a figure anyone could check."""
    return number.rule_id == "numbers.vague" or bool(_VAGUE_SURFACE.match(number.surface.strip()))


def _is_date_like(number: NumericAssertion) -> bool:
    surface = number.surface.strip()
    if re.fullmatch(r"(?:1[89]|20)\d{2}\s*年?(?:代)?", surface):
        return True
    return bool(re.fullmatch(r"\d{1,2}\s*[月日号]", surface)) or (number.unit or "") in {"year", "date", "month", "day"}


def _gates(text: str, numbers: Sequence[NumericAssertion]) -> list[str]:
    """Ids of the non-assertion shapes this sentence has (each caps the score)."""
    stripped = text.strip()
    gates = []
    no_final = not _FINAL_PUNCT.search(stripped)
    latin = sum(ch.isascii() and ch.isalpha() for ch in stripped) > len(stripped) / 2
    heading_length = 100 if latin else 40  # English headings and running titles run longer
    if (_HEADING_NUMBER.match(stripped) and (no_final or len(stripped) <= 30)) or (
        no_final and len(stripped) <= heading_length and not re.search(r"[，,；;]", stripped)
    ):
        gates.append("gate.heading")
    if stripped.count(" | ") >= 2:  # table rows (the PDF loader joins cells with " | ")
        gates.append("gate.table")
    for gate, pattern in (
        ("gate.meta_line", _META_LINE),
        ("gate.meta_note", _META_NOTE),
        ("gate.caption", CAPTION),
        ("gate.figure_description", _FIGURE_DESCRIPTION),
        ("gate.reference", _REFERENCE),
        ("gate.author_line", _AUTHOR_LINE),
        ("gate.recommendation", _RECOMMEND),
        ("gate.opinion", _OPINION),
        ("gate.question", _QUESTION),
        ("gate.problem_statement", _PROBLEM),
    ):
        if pattern.search(stripped):
            gates.append(gate)
    if _FUTURE.search(stripped) and not _has_quantity(numbers):
        gates.append("gate.forecast_without_figure")
    return gates


def _attribution(text: str) -> tuple[str | None, str | None]:
    """(who, cue phrase) for "据X报道", "X认为", "数据显示", "according to X"; (None, None) if none."""
    m = _ATTR_JU.search(text)
    if m:
        who = m.group("who").strip()
        if m.group("cue") == "统计" and not who:
            return None, "据统计"
        return who or None, "据" + ("…" if who else "") + m.group("cue")
    if "据统计" in text:
        return None, "据统计"
    m = _ATTR_DATA.search(text)
    if m:
        who = _clean_who(m.group("who"))
        return who, m.group("cue")
    m = _ATTR_EN.search(text)
    if m:
        return m.group("who").strip(), "according to"
    m = _ATTR_SPEECH.search(text)
    if m and not _NOT_WHO.match(m.group("who")):
        return _clean_who(m.group("who")), m.group("cue")
    m = _ATTR_EN_SAID.search(text)
    if m:
        return m.group("who").strip(), m.group("cue")
    return None, None


def _clean_who(who: str) -> str | None:
    """Strip connectives and particles a regex grabbed in front of the source's name."""
    who = re.sub(r"^(?:而|但|并|且|同时|此外|另外|其中|例如|如|又|再如)", "", who.strip())
    who = re.sub(r"(?:的|也|还|则|均|都|曾|已|更|亦)$", "", who)
    return who or None


def _kind(text: str, cues: Sequence[str], numbers: Sequence[NumericAssertion]) -> str:
    """The claim kind, by the strongest evidence present.

    In order: a speech verb introducing a quotation is a quote; a stated
    figure with a future marker is a prediction; two quantities set side by
    side ("¥16 vs ¥438", "27.4 times cheaper", "比o1低96%", "是美国的1.5倍")
    are comparative; a stated figure (outside quotation marks) or reported data
    is statistical, unless the figures only count the objects of a dated action
    ("2025年1月，美国将25家企业列入…"); then a comparison, a cause-effect, an
    action, a change over time or a ranking.

    The comparative test is deliberately narrow: one figure with an unquantified
    comparison ("增长43%，远超通用算力"), a change against a past value
    ("较2018年增长20倍", "20 times the 2018 count") or a change verb against a
    baseline ("同标准注意力相比减少93.3%", "cut by 93.3% relative to …") state
    one measured figure, so they stay statistical; so does a share ("one tenth
    of comparable systems", "是全球的15%").
    """
    has = set(cues)
    if _QUOTE_INTRO.search(text):
        return "quote"
    asserted = _asserted_figures(text, numbers)
    if asserted and _FUTURE.search(text):
        return "prediction"
    two_party = _two_party_comparison(text, asserted)
    if asserted and two_party:
        return "comparative"
    if "cue.reported_data" in has or (asserted and not _dated_action(text, asserted)):
        return "statistical"
    if has & {"cue.superlative", "cue.comparison"} or two_party:
        return "comparative"
    if has & {"cue.effect", "cue.causal"} or _EFFECT_OF_THIS.search(text):
        return "causal"
    if "cue.event" in has:
        return "event"
    if "cue.change" in has or _RANKING.search(text):
        return "comparative"
    if asserted:
        return "event"
    if "cue.attribution" in has:
        return "quote"
    return "event"


def _two_party_comparison(text: str, figures: Sequence[NumericAssertion]) -> bool:
    """Does the sentence set two quantities (or parties) side by side, rather than one quantity against its past?"""
    for pattern in _TWO_PARTY:
        if any(not _TIME_COMPARAND.search(m.group("x") or "") for m in pattern.finditer(text)):
            return True
    return any(not _TIME_COMPARAND.search(m.group("x")) and _figure_outside(m.span("x"), figures)
               for m in _FIGURED_COMPARAND.finditer(text))


def _figure_outside(span: tuple[int, int], figures: Sequence[NumericAssertion]) -> bool:
    """A stated figure outside ``span``: the other side of "与X的438元相比"."""
    return any(n.end <= span[0] or n.start >= span[1] for n in figures)


def _asserted_figures(text: str, numbers: Sequence[NumericAssertion]) -> list[NumericAssertion]:
    """Stated figures outside quotation marks: not dates, not vague magnitudes."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return [n for n in numbers if not _is_date_like(n) and not _is_vague(n)
            and not any(s <= n.start and n.end <= e for s, e in quoted)]


def _dated_action(text: str, figures: Sequence[NumericAssertion]) -> bool:
    """An action dated to the month whose figures are plain counts or specs, not rates, changes or bounds.

    A figure the sentence presents as reported ("whose training is reported to
    have needed …") is a statistic about something else, not a count of the action's objects.
    """
    if not (_EVENT.search(text) and _DATE_TO_MONTH.search(text)) or _REPORTED_FIGURE.search(text):
        return False
    return all(_plain_count(n) for n in figures)


def _plain_count(figure: NumericAssertion) -> bool:
    """A count or spec ("25家", "28纳米"), not a share ("十分之一"), a change, a multiple or a bound."""
    return figure.qualifier == "exact" and not figure.change and figure.unit_kind in _PLAIN_KINDS


#: Unit kinds of a plain count or spec; ratios, points and multiples compare or relate quantities.
_PLAIN_KINDS = frozenset({"count", "measure", "currency", "duration", "bare"})


def _clauses(text: str, numbers: Sequence[NumericAssertion]) -> tuple[tuple[int, int], ...]:
    """Sub-spans of a ``；``-joined sentence whose parts are claims on their own (if not all are)."""
    parts, start = [], 0
    for sep in _CLAUSE_SEP.finditer(text):
        parts.append((start, sep.end()))
        start = sep.end()
    parts.append((start, len(text)))
    parts = [(s, e) for s, e in parts if text[s:e].strip()]
    if len(parts) < 2:
        return ()
    claims = []
    for s, e in parts:
        sub = text[s:e]
        inside = [n for n in numbers if s <= n.start and n.end <= e]
        score = _combine(_cues(sub, inside, (), False))
        if score >= THRESHOLD and not any(g.startswith("gate.") for g in _gates(sub + "。", inside)):
            claims.append((s, e))
    return tuple(claims) if 0 < len(claims) < len(parts) else ()
