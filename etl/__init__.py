"""Policy Radar ETL: read articles, clean them, extract policy facts, load them."""

EXTRACTOR_VERSION = "2026.11.1"
