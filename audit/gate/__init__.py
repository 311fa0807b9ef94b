"""The CI gate: Great Expectations as the policy layer over the per-document table, and the linters' output formats.

`audit.gate.formats` needs nothing heavy; `audit.gate.expectations` imports Great Expectations (about
4 s), so only `audit check` and `audit run`'s validation step load it.
"""
