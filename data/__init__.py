"""The bundled seed ledger (seed.sql), installed as package data ``qdtrack.data``."""
