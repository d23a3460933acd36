"""The ``companion`` command: every feature, headless."""
