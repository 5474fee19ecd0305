"""Offline command-line interface `nok` (no database, no Django)."""
