"""audit.mtmodel's profile, computed with arrays over cached token types, against a plain reference: one
token at a time, nothing cached, every feature as its docstring defines it. Bit-identical or it fails."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from audit import mtmodel as m

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

EDGE_CASES = [
    "",
    "   \n\n ",
    "...",
    "A",
    "It's",
    "\u2014 \u201c",
    "\n'The. . \nA B",
    "U.S. 3.5. The end. 12,000 people, 10:30.",
    "\u00abÇa\u00bb - va?\n\n\u2026 Kristjánsson met Ben-Gvir's aide.",
    '"(The report," said NATO.) She smiled.\n\n\n  -- \n(2) 3 items',
    "India is large. India's capital is Delhi. INDIA'S PEOPLE w s the THE The",
    "Über_alles _ __ \x1c\x1f x\ty\r\nz \u00a0 \u2009 caf\u00e9 na\u00efve \u00bd \u00b2 \u0661\u0662",
    "The minister said that the plan was ready. Ivanov Dmitry and Kholodnytskyi met in Kyiv.\nIt's done.",
    "word word word. word word word word. word. Word word word word word word. word",
    "".join(map(chr, range(128))) + " a-b c'd 1.2:3 ... ..",  # every ASCII character (the ASCII tokeniser)
    "".join(map(chr, range(128, 2048))) + "\u2028\u3000 x\u00a0y\u1680z",
]


def _reference_type(tok: str, numbers: dict[str, int]) -> tuple[int, int, int, int, int, bool, float, bool]:
    """(symbol at a sentence start, symbol elsewhere, `'s` tail or 0, kind, word number, content, Zipf, capital)."""
    sym = m.alphabet()
    if tok == "\n":
        return (0, 0, 0, 0, -1, False, 0.0, False)
    c = tok[0]
    if c.isalpha():
        word, low, tail = tok, tok.lower(), 0
        if low.endswith("'s") and low not in sym:
            word, low, tail = tok[:-2], low[:-2], sym["'s"]
        number = numbers.setdefault(low, len(numbers) * m._LETTERS + min(len(low), m._LETTERS - 1))
        zipf = m._zipf.__wrapped__(low)
        if low in sym:
            return (sym[low], sym[low], tail, 3, number, low not in m.function_words(), zipf, c.isupper())
        start, rest = (sym[m._word_symbol(word, low, initial, sym)] for initial in (True, False))
        return (start, rest, tail, 3, number, True, zipf, c.isupper())
    if c.isdigit():
        return (sym["0"], sym["0"], 0, 2, -1, False, 0.0, False)
    c = "..." if tok == "..." else m._PUNCT.get(c, c)
    one = sym[c] if c in m._KEEP_PUNCT or c == "..." else sym["#"]
    return (one, one, 0, 1, -1, False, 0.0, False)


# the sentence end as first written (a look-behind on the mark); audit.mtmodel replaces each mark and its white space
_PLAIN_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")


def _reference_scan(text: str) -> dict:
    """One token at a time: the symbol sequence and the lists the statistics are taken from."""
    sym = m.alphabet()
    out: dict = {k: [] for k in ("seq", "lengths", "words", "content", "zipfs", "sets", "caps")}
    numbers: dict[str, int] = {}
    cur: set[int] = set()
    in_sentence, start, n_words = False, True, 0
    for tok in m._TOKEN.findall(_PLAIN_SENTENCE_END.sub("\n", m.normalise(text[: m.MAX_CHARS]))):
        s0, s1, tail, kind, word, content, zipf, cap = _reference_type(tok, numbers)
        if kind == 0:
            if in_sentence:
                out["seq"].append(sym["</s>"])
                out["lengths"].append(n_words)
                out["sets"].append(cur)
                cur, in_sentence, n_words = set(), False, 0
            start = True
            continue
        if not in_sentence:
            out["seq"].append(sym["<s>"])
            in_sentence = True
        if start and kind >= 2:
            out["seq"].append(s0)
            start = False
        else:
            out["seq"].append(s1)
            if cap:
                out["caps"].append(zipf)
        if tail:
            out["seq"].append(tail)
        if kind == 3:
            n_words += 1
            out["words"].append(word)
            if content:
                out["content"].append(word)
                out["zipfs"].append(zipf)
                if word % m._LETTERS > 3:
                    cur.add(word)
    if in_sentence:
        out["seq"].append(sym["</s>"])
        out["lengths"].append(n_words)
        out["sets"].append(cur)
    return out


def _reference_repetition(sets: list[set[int]]) -> float:
    seen = hits = 0
    for i in range(1, len(sets)):
        prev = sets[i - 1] | (sets[i - 2] if i > 1 else set())
        hits += len(sets[i] & prev)
        seen += len(sets[i])
    return hits / seen if seen else 0.0


def _reference_variety(words: list[int], window: int) -> float:
    """The mean over every window of `window` words of its distinct words / `window` (type-token ratio
    of the whole list when it is shorter), counted window by window."""
    if not words:
        return 0.0
    if len(words) <= window:
        return len(set(words)) / len(words)
    total = sum(len(set(words[i : i + window])) for i in range(len(words) - window + 1))
    return total / (len(words) - window + 1) / window


def reference_profile(text: str) -> m.Profile:
    s = _reference_scan(text)
    seq, k, sym = s["seq"], len(m.alphabet()) + 1, m.alphabet()
    codes: dict[int, int] = {}
    if len(seq) >= 3:  # unigrams (0, 0, a), bigrams (0, a, b), trigrams (a, b, c) in base k
        grams = [(0, 0, a) for a in seq] + [(0, a, b) for a, b in zip(seq, seq[1:], strict=False)]
        grams += list(zip(seq, seq[1:], seq[2:], strict=False))
        for a, b, c in grams:
            code = (a * k + b) * k + c
            if code not in (sym["<s>"], sym["</s>"]):
                codes[code] = codes.get(code, 0) + 1
    n_words, n_content = len(s["words"]), len(s["zipfs"])
    zipfs, caps, nc, n = (
        s["zipfs"] or [0.0],
        s["caps"],
        max(1, n_content),
        max(1, n_words),
    )  # no content word: one of Zipf 0
    stats = {
        **m._sentence_stats(s["lengths"]),
        "zipf_mean": float(np.array(zipfs).sum()) / nc,
        "zipf_rare": sum(x < 3 for x in zipfs) / nc,
        "zipf_unknown": sum(x == 0 for x in zipfs) / nc,
        "zipf_common": sum(x >= 5 for x in zipfs) / nc,
        "repetition": _reference_repetition(s["sets"]),
        "word_len": sum(w % m._LETTERS for w in s["words"]) / n,
        "mattr": _reference_variety(s["words"], m.MATTR_WINDOW),
        "mattr_content": _reference_variety(s["content"], 30),
        "fw_share": 1 - n_content / n,
        "cap_share": len(caps) / n,
        "cap_rare": sum(x < 3 for x in caps) / n,
        "cap_unknown": sum(x < 1 for x in caps) / n,
    }
    keys = sorted(codes)
    return m.Profile(
        np.array(keys, dtype=np.int64), np.array([codes[c] for c in keys]), len(seq) - 2 * len(s["lengths"]), stats
    )


def _texts() -> list[str]:
    texts = list(EDGE_CASES)
    for name in ("extraction-dev.jsonl", "mt-dev.jsonl"):
        path = SHARED / "eval" / name
        if path.is_file():
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            texts += [r["text"] for r in rows[::7]]  # every seventh: pages with residue, news, translations
    texts += [t[:k] for t in texts[len(EDGE_CASES) : len(EDGE_CASES) + 20] for k in (1, 5, 37, 200)]
    return texts


def test_profile_equals_the_plain_reference():
    """Features bit for bit: the mean Zipf is the same numpy sum, and every other statistic a ratio of
    whole numbers (or the same function of them), exact however they are counted."""
    texts = _texts()
    assert len(texts) > len(EDGE_CASES)
    for text in texts:
        got, want = m.profile(text), reference_profile(text)
        assert got.n_tokens == want.n_tokens, text[:60]
        assert got.codes.tolist() == want.codes.tolist() and got.counts.tolist() == want.counts.tolist(), text[:60]
        assert got.stats == want.stats, text[:60]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_probability_is_the_same_in_any_order_and_after_the_table_restarts(text, monkeypatch):
    """Token types and word numbers are per process: what was read before never changes a probability."""
    first = m.mt_probability(text)
    for other in EDGE_CASES:
        m.mt_probability(other)
    assert m.mt_probability(text) == first
    monkeypatch.setattr(m, "_TYPES_MAX", 4)
    assert m.mt_probability(text) == first
