"""Prose as words: tokenising, counting words as an assessor would, escaping."""
