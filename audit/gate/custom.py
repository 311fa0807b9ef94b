"""Custom Great Expectations expectations of news-audit.

Great Expectations silently drops expectations whose classes were not imported before a suite is
loaded, so `audit.gate.expectations.load_suite` imports this module first; a test reloads a suite
from disk and checks that the custom expectation survived.
"""

from __future__ import annotations

from typing import Any, ClassVar

import great_expectations.expectations as gxe
from great_expectations.exceptions import InvalidExpectationConfigurationError


class ExpectColumnShareNonzeroToBeAtMost(gxe.ExpectColumnValuesToBeInSet):
    """At most `max_share` of the documents have a nonzero value in `column` (for example, machine-translated ones).

    Built on expect_column_values_to_be_in_set with value_set [0] and mostly = 1 - max_share.
    """

    max_share: float = 0.1
    library_metadata: ClassVar[dict[str, Any]] = {"maturity": "production", "tags": ["news-audit"], "contributors": []}

    def __init__(self, **data: Any) -> None:
        share = data.get("max_share", 0.1)
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise InvalidExpectationConfigurationError(f"max_share must be a share between 0 and 1, not {share!r}")
        share = float(share)
        data["max_share"] = share
        data["value_set"] = [0]
        data["mostly"] = round(1.0 - share, 10)
        super().__init__(**data)
