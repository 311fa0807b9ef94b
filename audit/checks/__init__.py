"""The built-in per-document checks; importing this package registers them."""

from audit.checks import bio, integrity, layout, learned, mt, republication, residue  # noqa: F401
