"""news-audit: find scraper residue, boilerplate bios, machine-translation artifacts and name variants in news text."""

__version__ = "0.1.0"
