"""A folder of notes and the files the learner keeps with them, and the app's own database.

The profile (``companion.yaml``) and programme details, the index over the notes and the
full-text search, the evidence files and their cards, the reference library, the
off-the-job log as the learner writes it (``otj_log``; the hours it adds up to are
``assessment.otj``), templates for new notes, and the store the app keeps for itself.
"""
