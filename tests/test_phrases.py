"""Phrase lists compile to one prefix-sharing pattern that matches exactly where the plain alternation does."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.data import load_list, phrase_regex, trie_pattern

WORDS = st.sampled_from(["read", "more", "re", "read more", "share", "sh", "follow us", "follow", "é", "a.b", "(x)"])


def _naive(phrases: list[str]) -> re.Pattern[str]:
    alts = [re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=6), st.lists(WORDS, max_size=8), st.sampled_from([" ", "  ", "\n", ", "]))
def test_trie_matches_where_the_alternation_matches(phrases, parts, sep):
    text = sep.join(parts).upper() if len(parts) % 2 else sep.join(parts)
    trie = re.compile(r"(?<!\w)(?:" + trie_pattern(phrases) + r")(?!\w)", re.IGNORECASE)
    naive = _naive(phrases)
    assert [m.start() for m in trie.finditer(text)] == [m.start() for m in naive.finditer(text)]


def test_the_shipped_prompt_list_agrees_with_the_alternation_on_real_lines():
    rx, naive = phrase_regex("prompts"), _naive(list(load_list("prompts")))
    lines = [p.upper() for p in load_list("prompts")] + [
        "Subscribe  to our newsletter",
        "Nothing to see",
        "click\nhere",
    ]
    assert [bool(rx.search(s)) for s in lines] == [bool(naive.search(s)) for s in lines]
    assert all(rx.search(p) for p in load_list("prompts"))  # `like this:` too, though it ends in punctuation


def test_a_longer_phrase_is_preferred_where_one_extends_another():
    rx = re.compile(trie_pattern(["follow us", "follow us on", "follow"]), re.IGNORECASE)
    assert rx.match("Follow us on Twitter").group() == "Follow us on"
