"""The Textual apps, the apprentice's and the tutor's, and the command palette they share."""
