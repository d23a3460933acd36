"""The Textual apps: the apprentice's and the tutor's."""
