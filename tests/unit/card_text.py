"""Checks shared by the tests of the shipped models' cards: the Chinese card (MODEL_CARD.zh.md)
states every figure of the English one (MODEL_CARD.md) and is written in Chinese."""

from __future__ import annotations

import re
from collections import Counter

NUMBER = re.compile(r"\d{4}-\d{2}-\d{2}|(?<![A-Za-z0-9_.])\d+(?:,\d{3})*(?:\.\d+)*")
"""A figure: a date (2026-12-01), an integer (13891, 706,305) or a decimal (0.8612, 2.21.0);
not the digits of a name (Word2Vec, SpatialDropout1D, rnn_1, d2l)."""

ENGLISH_RUN = re.compile(r"[A-Za-z][\w'’-]*(?:[ ,]+[A-Za-z][\w'’-]*){3,}")
"""Four or more English words in a row (spaces or commas between them)."""


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def figures_missing(english: str, chinese: str) -> Counter:
    """The figures of the English card that the Chinese card states fewer times (empty: none dropped or changed)."""
    return numbers(english) - numbers(chinese)


def prose(card: str) -> str:
    """A card without what stays as it is in every language: code blocks, `code spans` and the
    layer tables' rows (names of layers and Keras types)."""
    card = re.sub(r"```.*?```", "", card, flags=re.S)
    card = re.sub(r"`[^`\n]*`", "", card)
    return "\n".join(line for line in card.splitlines() if not re.match(r"\| [a-z_0-9]+ \| [A-Za-z()]+ \|", line))


def english_runs(card: str) -> list[str]:
    """Runs of four or more English words in a card's prose (`prose`)."""
    return ENGLISH_RUN.findall(prose(card))
