"""Refuse text that carries code: scripts, event handlers, javascript: links, unknown HTML tags,
SQL injection. The documents these offices publish hold only paragraphs, lists and links.

The text is normalised before it is matched, so that the written-around forms of a refused
thing are refused too: entities are decoded (repeatedly: `&amp;lt;` is `<`), percent-escapes
and compatibility forms (full-width `＜`) folded, SQL comments (`/**/`, `--`, `#`) read as
spaces, tags and statements matched across line breaks, and link schemes matched with every
space, control and zero-width character taken out (`jav&#x09;ascript:`). This filter is a
first line only: the product never renders document text as HTML nor runs it as SQL (text is
shown through lib/ui/format.plain, SQL takes parameters).
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from urllib.parse import unquote

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "br", "span", "strong", "b", "i", "em", "u", "div", "sup", "sub"}
_ALLOWED_ATTRIBUTES = {"href", "style", "class", "target", "rel"}
# Every element name a browser acts on (HTML, old and new, SVG, MathML): one outside _ALLOWED_TAGS is code.
# Any other word in angle brackets ("ตัวชี้วัด <EIT>", "ไฟล์แนบ <PDF>", "ค่า a<b และ b>c") is text, unless it
# carries an attribute with a value or an event handler (<x onclick=...>), which is code in any element.
HTML_ELEMENTS = set("""
a abbr acronym address animate animatemotion animatetransform annotation applet area article aside audio b base
basefont bdi bdo bgsound big blink blockquote body br button canvas caption center circle cite clippath code col
colgroup data datalist dd defs del desc details dfn dialog dir discard div dl dt ellipse em embed feimage fieldset
figcaption figure filter font footer foreignobject form frame frameset g h1 h2 h3 h4 h5 h6 handler head header
hgroup hr html i iframe ilayer image img input ins isindex kbd keygen label layer legend li line lineargradient
link listener listing main map maction maligngroup malignmark mark marker marquee mask math menu menuitem meta
meter mfrac mglyph mi mlabeledtr mlongdiv mmultiscripts mn mo mover mpadded mpath mphantom mprescripts mroot
mrow ms mscarries mscarry msgroup msline mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext mtr
munder munderover multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p param
path pattern picture plaintext polygon polyline portal pre progress q radialgradient rb rect rp rt rtc ruby s samp
script search section select semantics set slot small source spacer span stop strike strong style sub summary sup
svg switch symbol table tbody td template text textarea textpath tfoot th thead time title tr track tref tspan tt
u ul use var video view wbr xml xmp
""".split())
# a tag left unclosed (`<svg onload=..` at the end of a cell) is still a tag
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>]|$)([^<>]*)>?")
_ATTRIBUTE = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_SCHEME = re.compile(r"javascript:|vbscript:|livescript:|data:text/html", re.IGNORECASE)
_SQL = re.compile(r"\b(?:drop|truncate|alter)\s+table\b|\bunion\s+(?:all\s+|distinct\s+)?select\b|\bdelete\s+from\b"
                  r"|\binsert\s+into\b|'\s*or\s*'?1'?\s*=\s*'?1|;\s*--|\bexec(?:ute)?\s+xp_",
                  re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
                        r"\u2060-\u2064\u206a-\u206f\ufeff]+")
_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")  # not tab, not newline
# every _SQL match holds one of these, in lower case ('nto', not 'into': under IGNORECASE 'ı' and 'İ'
# match 'i', and NFKC has folded the other letters that match an ASCII one, 'ſ' and 'K'): a text with
# none of them is not searched (the search is most of the scan of a clean document)
_SQL_NEEDS = ("table", "select", "from", "nto", "'", ";", "xp_")
_SQL_LABEL = "คำสั่ง SQL"
_SCHEME_LABEL = "ลิงก์ที่เป็นสคริปต์ (javascript:)"


def _decode(text: str) -> str:
    """Entities and percent-escapes decoded until nothing changes (at most 4 rounds), NFKC, and
    the control and zero-width characters that hide a word (`<scr\\x00ipt>`) taken out."""
    for _ in range(4):
        decoded = html.unescape(unquote(text)) if ("&" in text or "%" in text) else text
        if decoded == text:
            break
        text = decoded
    return _HIDDEN.sub("", _nfkc(text))


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), quicker for Thai: SARA AM (U+0E33) is the one common Thai
    letter NFKC changes (to NIKHAHIT + SARA AA, its compatibility decomposition), and it makes CPython
    normalize the whole text (~0.09 ms a kB); decomposed first, a text that is then already normalized
    (every seed) is only checked (~0.005 ms a kB). The same result: both strings have one NFKD."""
    text = text.replace("\u0e33", "\u0e4d\u0e32")
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _without_sql_comments(text: str, instead: str = " ") -> str:
    """`/* .. */` (an unclosed one runs to the end) becomes `instead` (a space, or nothing for
    `DR/**/OP`); `-- ..` and `# ..` to the line's end become `-- ` and a space. Newlines are
    kept so line numbers stay right. Linear: one scan, no backtracking."""
    out: list[str] = []
    i = 0
    while True:
        j = text.find("/*", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        k = text.find("*/", j + 2)
        end = len(text) if k < 0 else k + 2
        out.append(instead + "\n" * text.count("\n", j, end))
        i = end
    return re.sub(r"(?:--|#)[^\n]*", lambda m: " " if m.group(0).startswith("#") else "-- ", "".join(out))


def _line_of(text: str) -> callable:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_right(starts, offset)


def dangerous_content(text: str) -> list[str]:
    """Thai descriptions of each piece of code found, with its line number; empty when clean."""
    problems: list[str] = []
    text = _decode(text)
    line_of = _line_of(text)
    for m in _TAG.finditer(text):
        line_no = line_of(m.start())
        tag = m.group(2).lower()
        if tag in HTML_ELEMENTS and tag not in _ALLOWED_TAGS:
            problems.append(f"บรรทัด {line_no}: พบแท็ก HTML <{tag}> ที่ไม่ใช่ข้อความในเอกสาร")
            continue
        for name, value in _ATTRIBUTE.findall(m.group(3).replace("/", " ")):
            if name.lower() not in _ALLOWED_ATTRIBUTES and (value or name.lower().startswith("on")):
                problems.append(f"บรรทัด {line_no}: พบแอตทริบิวต์ {name} ในแท็ก <{tag}> (อาจเป็นสคริปต์)")
    sql_text = _without_sql_comments(text)
    sql_line_of = _line_of(sql_text)
    for m in _sql(sql_text):
        problems.append(f"บรรทัด {sql_line_of(m.start())}: พบ{_SQL_LABEL}")
    # the newlines are the same in both copies, so sql_line_of serves this one too
    for m in _sql(_without_sql_comments(text, "")):
        problems.append(f"บรรทัด {sql_line_of(m.start())}: พบ{_SQL_LABEL}")
    problems += _schemes(text)
    return list(dict.fromkeys(problems))


def _sql(text: str) -> list[re.Match]:
    lowered = text.lower()
    return list(_SQL.finditer(text)) if any(w in lowered for w in _SQL_NEEDS) else []


def _schemes(text: str) -> list[str]:
    """Link schemes with every invisible character taken out, across lines too."""
    # the invisible characters include the line breaks: taken out of the whole text at once, they leave
    # what the lines' squashed copies joined give (their line numbers are worked out only for a find)
    squashed = _INVISIBLE.sub("", text)
    lowered = squashed.lower()
    # what every match holds ('pt:', not 'script:': under IGNORECASE 'ı' and 'İ' match 'i')
    if ("pt:" not in lowered and "a:text/html" not in lowered) or not _SCHEME.search(squashed):
        return []
    lines = text.split("\n")
    squashed = [_INVISIBLE.sub("", line) for line in lines]
    ends = []
    total = 0
    for line in squashed:
        total += len(line)
        ends.append(total)
    return [f"บรรทัด {bisect.bisect_right(ends, m.start()) + 1}: พบ{_SCHEME_LABEL}"
            for m in _SCHEME.finditer("".join(squashed))]
