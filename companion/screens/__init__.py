"""The app's screens, one per module with its Textual CSS beside it.

A screen shows what the status or a view says, and its changes go through the functions
the CLI uses: ``screens.otj`` is the Off-the-job screen, its text from
``views.otj``; ``screens.cohort`` and ``screens.review_learner`` are the tutor's.
"""
