"""The files apprentice and tutor exchange: progress exports and feedback."""
