"""The demo region: realistic synthetic fieldwork built through the domain services."""
