"""The third speed round's faster forms against the forms they replaced, on varied inputs: the same answers.

- the MT model's sentence breaks (`mtmodel._breaks`) are three literal replacements, one a mark, where the
  first form was one pass with a look-behind on the mark (and the second one pass writing the mark back);
- MT008's `IgnoredWhere` remembers the last line asked where no flagged span touches it;
- the MT model's word frequencies are the lexicon's table (one copy), and its letter trigrams are counted
  from one regex pass (tests/test_speed_equivalence.py counts them word by word);
- the hyperscan pass finds its matches' lines by walking the line breaks once (`scan.lines_of_ends`);
- findings.jsonl is written by one JSON encoder made once.
"""

from __future__ import annotations

import random
import re

from audit import mtmodel as m

# the sentence end as first written: a look-behind on the mark, the white space after it a newline
_PLAIN_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")

PIECES = [
    "It rained.",
    " ",
    "  \t ",
    "\n",
    "\x1c",
    "\u00a0",
    "\u2009",
    "Then",
    "?!",
    "...",
    "…",
    "!",
    "?",
    ".",
    '"Yes',
    "'No",
    "(See",
    "2023",
    "a",
    "“Quoted”",
    "Dr. Smith",
    "end.\u00a0Next",
    "U.S. Army",
    'wait!?  "A',
]


def _plain_breaks(text: str) -> str:
    return _PLAIN_SENTENCE_END.sub("\n", m.normalise(text))


def test_breaks_are_those_of_the_look_behind_form():
    rng = random.Random(31)
    texts = ["", "One. Two! Three? four. 5. (Six) 'seven' \"Eight\"", "a.\n\nB", "x!\u2003Y", "?! ?!  A"]
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        assert m._breaks(text) == _plain_breaks(text), repr(text)


def test_breaks_make_a_sentence_break_after_each_mark():
    assert m._breaks('It rained. Then it stopped! Why? "Because') == 'It rained.\nThen it stopped!\nWhy?\n"Because'
    assert m._breaks("U.S. Troops. e.g. this") == "U.S.\nTroops. e.g. this"


def test_ignored_where_answers_as_the_merged_spans_do_in_any_order():
    """`IgnoredWhere` remembers the last line asked: positions asked in any order, lines with and without
    flagged spans, get the answers of the merged spans."""
    from audit.corpus.mentions import FLAGGED_SPANS, IgnoredWhere, _inside, ignored_spans
    from audit.text import TextView

    rng = random.Random(7)
    lines = ["Home | World | Politics", "Mykola Pavlyuk said the Horyn had flooded.", "", "Read More", "Weight Loss"]
    for _ in range(300):
        text = "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 8)))
        spans = []
        for _ in range(rng.randrange(4)):
            a = rng.randrange(len(text) + 1)
            spans.append((a, min(len(text), a + rng.randrange(40))))
        flagged = tuple(sorted(spans))
        view = TextView(text)
        view.memo(FLAGGED_SPANS, lambda _view, f=flagged: f)
        skip = ignored_spans(view)
        starts = [s for s, _ in skip]
        ignored = IgnoredWhere(view)
        positions = [p for p, ch in enumerate(text) if not ch.isspace()]
        for pos in positions + rng.sample(positions, len(positions)):
            assert ignored(pos) == _inside(skip, starts, pos), (text, spans, pos)


def test_mt_frequencies_are_wordfreqs_english_dictionary():
    """The MT model reads the lexicon's table, not a second copy: the same words, frequencies and order as
    `get_frequency_dict("en")`, as first written."""
    from wordfreq import get_frequency_dict

    first = get_frequency_dict("en")
    assert m._frequencies() == first
    assert list(m._frequencies()) == list(first)


def test_lines_of_ends_are_the_bisections_in_any_order():
    """The hyperscan pass walks the line breaks once (its matches come in order of their end); matches in any
    order get the lines that bisection gives."""
    import bisect

    from audit.scan import lines_of_ends

    rng = random.Random(3)
    for _ in range(2000):
        size = rng.randint(1, 200)
        breaks = sorted(rng.sample(range(size), rng.randint(0, min(size, 20))))
        ends = [(rng.randrange(5), rng.randint(1, size + 1)) for _ in range(rng.randint(0, 30))]
        if rng.random() < 0.5:
            ends.sort(key=lambda x: x[1])
        expected: dict[int, set[int]] = {}
        for k, end in ends:
            expected.setdefault(k, set()).add(bisect.bisect_left(breaks, end - 1))
        got: dict[int, set[int]] = {}
        lines_of_ends(ends, breaks, got)
        assert got == expected, (breaks, ends)


def test_finding_lines_are_json_dumps_of_the_records():
    """findings.jsonl's lines come from one encoder made once: each is `json.dumps(record, ensure_ascii=False)`
    of its record, as first written (non-ASCII evidence, quotes, control characters and NaN confidence)."""
    import json
    import math

    from audit.engine import audit_documents
    from audit.load import Document
    from audit.output import finding_lines, finding_record
    from audit.records import Finding

    texts = [
        "Read more\nShare this\nKyiv — “Київ” said\ttab \\ back \x07 bell.\nRead more",
        "Follow us on Twitter\n\nCopyright 2024 Example News. All rights reserved.",
    ]
    result = audit_documents([Document(f"d{i}", t) for i, t in enumerate(texts)])
    lines = list(finding_lines(result))
    records = [finding_record(f) for r in result.results for f in r.findings]
    assert lines and lines == [json.dumps(rec, ensure_ascii=False) + "\n" for rec in records]
    odd = Finding("d", 0, 1, "X", "mt", "info", "m “q” \u2028", "é\x00", None, math.nan)
    rec = finding_record(odd)
    assert json.JSONEncoder(ensure_ascii=False).encode(rec) == json.dumps(rec, ensure_ascii=False)
