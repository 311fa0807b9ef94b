"""The corpus-level checks: the only step that sees more than one document; importing registers them."""

from audit.corpus import boilerplate, names, quotes  # noqa: F401
