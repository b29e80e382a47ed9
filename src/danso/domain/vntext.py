"""Vietnamese text helpers: diacritic folding for search, name tidying, dd/mm/yyyy dates."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = ["fold", "tidy_name", "parse_date", "format_date", "DateParseError"]


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x00C0, 0x0250), (0x1E00, 0x1F00), (0x0300, 0x0370)]
    for start, stop in ranges:
        for cp in range(start, stop):
            ch = chr(cp)
            if unicodedata.combining(ch):
                table[cp] = ""
                continue
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            base = base.lower()
            if base != ch:
                table[cp] = base
    for ch, repl in {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}.items():
        table[ord(ch)] = repl
    return table


_FOLD = _build_fold_table()
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse white space.

    >>> fold("  Nguyễn  Văn Ánh ")
    'nguyen van anh'
    >>> fold("ĐẶNG THỊ HỒNG")
    'dang thi hong'
    """
    text = unicodedata.normalize("NFC", text).translate(_FOLD).lower()
    if text.isascii():
        return " ".join(text.split())
    # anything outside the precomputed ranges: fall back to full decomposition
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _SPACES.sub(" ", text).strip()


def tidy_name(text: str) -> str:
    """Normalise a personal name as written in the register: NFC, single spaces, each word capitalised.

    >>> tidy_name("nguyễn   văn  an")
    'Nguyễn Văn An'
    """
    words = unicodedata.normalize("NFC", text).split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


class DateParseError(ValueError):
    """A date that is not dd/mm/yyyy (or yyyy-mm-dd), or does not exist."""


_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str | dt.date) -> dt.date:
    """Parse dd/mm/yyyy (the Vietnamese convention) or ISO yyyy-mm-dd.

    >>> parse_date("05/01/1990")
    datetime.date(1990, 1, 5)
    """
    if isinstance(text, dt.date):
        return text
    m = _DMY.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
    else:
        m = _ISO.match(text)
        if not m:
            raise DateParseError(f"'{text}' không phải ngày dạng dd/mm/yyyy")
        y, mo, d = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise DateParseError(f"ngày '{text}' không tồn tại") from None


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, or an empty string."""
    return value.strftime("%d/%m/%Y") if value else ""
