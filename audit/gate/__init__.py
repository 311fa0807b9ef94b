"""The CI gate: Great Expectations as the policy layer over the per-document table, and the linters' output formats.

`audit.gate.formats` and `audit.gate.explain` need nothing heavy; `audit.gate.expectations` imports
Great Expectations (about 3 s with a validation), so only `audit check` and `audit run`'s validation step load it.
"""


class GateError(Exception):
    """The suite cannot be read, loaded or run (a missing column, an unknown expectation): exit 2, not 1."""
