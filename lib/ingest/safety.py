"""Refuse text that carries code: scripts, event handlers, javascript: links, unknown HTML tags,
SQL injection. The documents these offices publish hold only paragraphs, lists and links."""
from __future__ import annotations

import re

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "br", "span", "strong", "b", "i", "em", "u", "div", "sup", "sub"}
_ALLOWED_ATTRIBUTES = {"href", "style", "class", "target", "rel"}
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ATTRIBUTE = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_DANGEROUS = (
    (re.compile(r"javascript\s*:|vbscript\s*:|data\s*:\s*text/html", re.IGNORECASE), "ลิงก์ที่เป็นสคริปต์ (javascript:)"),
    (re.compile(r"\b(?:drop|truncate|alter)\s+table\b|\bunion\s+(?:all\s+)?select\b|\bdelete\s+from\b"
                r"|\binsert\s+into\b|'\s*or\s*'?1'?\s*=\s*'?1|;\s*--", re.IGNORECASE), "คำสั่ง SQL"),
)


def dangerous_content(text: str) -> list[str]:
    """Thai descriptions of each piece of code found, with its line number; empty when clean."""
    problems: list[str] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        for m in _TAG.finditer(line):
            tag = m.group(2).lower()
            if tag not in _ALLOWED_TAGS:
                problems.append(f"บรรทัด {line_no}: พบแท็ก HTML <{tag}> ที่ไม่ใช่ข้อความในเอกสาร")
                continue
            for name, _ in _ATTRIBUTE.findall(m.group(3)):
                if name.lower() not in _ALLOWED_ATTRIBUTES:
                    problems.append(f"บรรทัด {line_no}: พบแอตทริบิวต์ {name} ในแท็ก <{tag}> (อาจเป็นสคริปต์)")
        for pattern, label in _DANGEROUS:
            if pattern.search(line):
                problems.append(f"บรรทัด {line_no}: พบ{label}")
    return list(dict.fromkeys(problems))
