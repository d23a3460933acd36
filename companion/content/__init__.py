"""The qualification as validated, immutable data, loaded from a content folder."""
