"""A folder of notes: its profile, the index over it and the app's own database."""
