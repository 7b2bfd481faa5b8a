"""Text helpers with no model dependency."""

import unicodedata

# Characters that are letters or symbols to Unicode but draw nothing: Hangul fillers, the blank braille cell.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_visible(char: str) -> bool:
    """A character that shows on screen: not a space, not a control or format character (zero-width space,
    joiners, direction overrides, byte-order mark), not a surrogate, private-use or unassigned code point."""
    if char.isspace() or char in _BLANK_GLYPHS:
        return False
    return not unicodedata.category(char).startswith("C")


def has_visible_text(text: str | None) -> bool:
    """True when `text` has at least one character a reader can see (a reason of only U+200B is no reason)."""
    return any(is_visible(char) for char in text or "")
