"""Companion: a terminal study companion for the Level 7 Senior Leader apprenticeship."""

__version__ = "0.1.0"
