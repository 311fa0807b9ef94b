"""The corpus-level checks: the only step that sees more than one document; importing registers them."""

from audit import lexicon
from audit.corpus import boilerplate, mentions, names, quotes, stories  # noqa: F401


def load_tables() -> None:
    """Load the constant tables the corpus pass reads (wordfreq's English frequencies, the gazetteer and
    exonyms, the given names) before it starts. Loaded in its middle, their hundreds of thousands of small
    objects land in the holes of its freed working memory and keep those pages resident long after it
    (fragmentation: ~100 MB at 30,000 documents); loaded first, they sit together below it."""
    lexicon.english_table()  # wordfreq's English table, which english_zipf reads
    names.given_name_groups()
    names.exonym_table()
