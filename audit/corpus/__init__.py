"""The corpus-level checks: the only step that sees more than one document; importing registers them."""

from audit.corpus import boilerplate, mentions, names, quotes, stories, translit  # noqa: F401


def release_caches() -> None:
    """Empty the memo tables that the corpus pass fills in this process (each is bounded, but together
    they reach tens of MB on a large corpus); called once the corpus pass is done, before the outputs.
    Results never depend on them: a later run only fills them again."""
    for memo in (
        translit.fold,
        translit.tnorm,
        translit.place_stem,
        names._weight,
        mentions.english_zipf,
        stories._term,
    ):
        memo.cache_clear()
