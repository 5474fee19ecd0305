"""Pages that bring the other apps together: the start page, the organization card, the audit journal."""
