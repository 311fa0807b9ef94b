"""The corpus-level checks: the only step that sees more than one document; importing registers them."""

import sys

from audit.corpus import boilerplate, mentions, names, quotes, stories, translit  # noqa: F401


def load_tables() -> None:
    """Load the constant tables the corpus pass reads (wordfreq's English frequencies, the gazetteer and
    exonyms, the given names) before it starts. Loaded in its middle, their hundreds of thousands of small
    objects land in the holes of its freed working memory and keep those pages resident long after it
    (fragmentation: ~100 MB at 30,000 documents); loaded first, they sit together below it."""
    mentions._english_table()  # wordfreq's English table, which english_zipf reads
    names.given_name_groups()
    names.exonym_table()


def release_caches() -> None:
    """Empty the memo tables that the corpus pass fills in this process (each is bounded, but together
    they reach tens of MB on a large corpus); called once the corpus pass is done, before the outputs.
    Results never depend on them: a later run only fills them again."""
    for memo in (
        translit._fold,
        translit.tnorm,
        translit.place_stem,
        names._weight,
        names._word,
        mentions.english_zipf,
        mentions._name_kind,
        mentions._token_word,
        stories._term,
        stories._term_hashes,
    ):
        memo.cache_clear()
    wordfreq = sys.modules.get("wordfreq")  # its memo of looked-up words: up to 100,000 of the corpus's forms
    cache = getattr(wordfreq, "_wf_cache", None)
    if isinstance(cache, dict):
        cache.clear()
