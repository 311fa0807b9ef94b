"""audit.text's word tokenizer, written with possessive repeats for speed, against its plain definition:
the same words, in the same order, on varied text (letters of many scripts, apostrophes, digits,
underscores, combining marks, numerals that are letters to `re`)."""

from __future__ import annotations

import random
import re

from audit.text import has_words, word_count, words

PLAIN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # the definition: letters, inner apostrophes
ALPHABET = "aZéß_1²½Ⅻ字ıİ\u0301'’' ’\n\t\u00a0-.,(\"“\x1c"


def test_words_match_the_plain_definition():
    rng = random.Random(7)
    texts = [
        "",
        "It's the people’s choice, isn't it? rock'n'roll '90s o'",
        "Kristjánsson met Ben-Gvir's aide in Kyiv on 12 May_2023 at 10:30.",
        "'' ’’ a' 'a a'' a'’b 字字'字 Ⅻ'x ½'½ x²'y",
    ]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(40))) for _ in range(5000)]
    for text in texts:
        expected = PLAIN.findall(text)
        assert words(text) == expected, text
        assert word_count(text) == len(expected), text
        for n in (1, 2, 3):
            assert has_words(text, n) == (len(expected) >= n), text


def _reference_furniture_line(line: str) -> bool:
    """mentions.furniture_line as first written (plain repeats, one generator over the words)."""
    from audit.corpus.mentions import MENU_CAPITALISED, SHORT_LABEL_WORDS, furniture_words

    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    if not words:
        return False
    if 2 * sum(w.casefold() in furniture_words() for w in words) >= len(words):
        return True
    if line.rstrip()[-1:] in '.!?…"”’)':
        return False
    if len(words) <= SHORT_LABEL_WORDS or len(re.findall(r"\s[|•·/»]\s|\t|\s{3,}", line.strip())) >= 2:
        return True
    return sum(w[0].isupper() for w in words) >= MENU_CAPITALISED * len(words)


def test_furniture_line_matches_its_first_form():
    from audit.corpus.mentions import furniture_line

    rng = random.Random(11)
    pieces = [
        "Home",
        "News",
        "Sport",
        "Facebook",
        "Twitter",
        "share",
        "the",
        "Council",
        "said",
        "it's",
        "O'Neil",
        "x_y",
        "2023",
        "|",
        "•",
        "   ",
        ".",
        "”",
        ")",
        "Weather",
        "ΚΑΙ",
        "İstanbul",
        "-in",
        "e-mail",
    ]
    lines = [" ".join(rng.choices(pieces, k=rng.randrange(1, 14))) for _ in range(3000)]
    lines += ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(30))) for _ in range(3000)]
    assert sum(map(furniture_line, lines)) > 500  # both answers are well represented
    for line in lines:
        assert furniture_line(line) == _reference_furniture_line(line), line
