"""Text made safe for XML (DOCX, XLSX, HTML), which cannot hold every character Python can.

XML 1.0 forbids most control characters and lone surrogates; python-docx and openpyxl raise
``ValueError`` on them, which once crashed the tutor's Results Sheet and took unsaved
decisions with it. Every cell and paragraph from someone's file passes through ``xml_safe``.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (each becomes U+FFFD)."""
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub("\ufffd", text)
