"""The app's screens, one per module, each with its Textual CSS beside it."""
