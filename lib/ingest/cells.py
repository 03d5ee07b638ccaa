"""Table cells of extracted documents: HTML fragments become clean text, links are kept.

The source documents arrive as text with tab-separated table rows; some cells still carry
`<p>`, `<ul>/<ol>/<li>` and `<a href>` markup and entities such as `&amp;`.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser

from lib.ingest.safety import HTML_ELEMENTS

_BLOCK_TAGS = {"p", "li", "div", "br", "tr", "h1", "h2", "h3", "h4"}
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_WHITESPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://[^\s<>\"']+")
# a '<' that opens no element a browser knows ("โครงการ <EIT>", "Q1<Q2") is the writer's text, not markup
_NOT_A_TAG = re.compile(r"<(?!\s*/?\s*(?:" + "|".join(sorted(HTML_ELEMENTS, key=len, reverse=True))
                        + r")(?=[\s/>]|$)|!--)", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    text: str  # clean text, one paragraph per line
    paragraphs: tuple[str, ...]  # top-level blocks (<p>, or lines) in order
    links: tuple[str, ...] = field(default=())  # href targets in order of appearance

    @property
    def empty(self) -> bool:
        return not self.text


class _CellParser(HTMLParser):
    """Collects top-level paragraphs; list items stay inside the paragraph that holds them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self.links: list[str] = []
        self.anchors = 0  # <a> tags seen; a fragment without any keeps the addresses written in its text
        self._depth_list = 0

    def _new_paragraph(self) -> None:
        if self.paragraphs[-1] and "".join(self.paragraphs[-1]).strip():
            self.paragraphs.append([])

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._depth_list += 1
            self.paragraphs[-1].append("\n")
        elif tag == "li":
            self.paragraphs[-1].append("\n")
        elif tag == "p" and self._depth_list == 0:
            self._new_paragraph()
        elif tag == "br":
            self.paragraphs[-1].append("\n")
        elif tag == "a":
            self.anchors += 1
            href = dict(attrs).get("href")
            if href and href not in self.links:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._depth_list = max(0, self._depth_list - 1)
            self.paragraphs[-1].append("\n")
        elif tag == "p" and self._depth_list == 0:
            self._new_paragraph()
        elif tag in _BLOCK_TAGS:
            self.paragraphs[-1].append("\n")

    def handle_data(self, data):
        self.paragraphs[-1].append(data)


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


@functools.lru_cache(maxsize=4096)
def parse_cell(raw: str) -> Cell:
    """Clean one table cell. Markup-free cells keep their single line as one paragraph. (Cached: the
    readers look at a cell several times, for headers, columns and values; a Cell is immutable.)"""
    raw = raw.strip()
    if not raw:
        return Cell("", ())
    if "<" not in raw:
        text = _tidy(html.unescape(raw))
        # a page copied as text keeps a link's address only where it was written out
        return Cell(text, (text,) if text else (), tuple(dict.fromkeys(_URL.findall(text))))
    parser = _CellParser()
    parser.feed(_NOT_A_TAG.sub("&lt;", raw))
    parser.close()
    paragraphs = tuple(p for p in (_tidy("".join(parts)) for parts in parser.paragraphs) if p)
    text = "\n".join(paragraphs)
    links = parser.links if parser.anchors else list(dict.fromkeys(_URL.findall(text)))
    return Cell(text, paragraphs, tuple(links))


def clean_text(raw: str) -> str:
    """Markup-free text of a fragment (for lines outside tables)."""
    return parse_cell(raw).text


def split_row(line: str) -> list[str]:
    return line.rstrip("\n").split("\t")


def is_separator_row(cells: list[str]) -> bool:
    """Rows like `--\t--\t---` left by the PDF extraction between pages."""
    stripped = [c.strip() for c in cells]
    return all(re.fullmatch(r"-*", c) for c in stripped) and any(stripped)


def squash(text: str) -> str:
    """Text without whitespace, for comparing headers and names written with stray spaces."""
    return _WHITESPACE.sub("", text)


_FUZZY_MAX = 400  # SequenceMatcher is quadratic in the length: longer names must match exactly


def similarity(a: str, b: str, at_least: float) -> float:
    """SequenceMatcher's ratio of two names, or 0.0 when it cannot reach `at_least` (different
    lengths) or a name is too long to compare fuzzily; keeps every reader linear in its input."""
    if a == b:
        return 1.0
    if max(len(a), len(b)) > _FUZZY_MAX or 2 * min(len(a), len(b)) < at_least * (len(a) + len(b)):
        return 0.0
    return SequenceMatcher(None, a, b).ratio()
