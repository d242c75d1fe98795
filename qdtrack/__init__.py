"""qdtrack: track Qingdao's government work report targets in a local SQLite ledger."""

__version__ = "0.1.0"
