"""Text the CLI prints and the screens show, built without Textual."""
