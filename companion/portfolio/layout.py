"""The names of the files and folders of a portfolio that companion reads or writes.

Named once here, in the lowest layer that needs them, so that what the app watches, what
its messages name and what its help tells a learner to edit cannot drift apart. Nothing
here reads a file: opening a portfolio imports this and no reader.
"""

from __future__ import annotations

PROFILE_FILE = "companion.yaml"
"""The apprentice's settings (``companion.portfolio.profile``); its folder is the portfolio."""
OTJ_FILE = "otj.yaml"
"""The off-the-job training log (``companion.portfolio.otj_log``)."""
REVIEW_FOLDER = "reviews"
"""Where new progress-review notes are written."""
SIGNOFF_FOLDER = f"{REVIEW_FOLDER}/signoff"
"""Where the signed sign-offs of reviews are kept, as companion writes them."""
FEEDBACK_FOLDER = "feedback"
"""Where a tutor's feedback imported into the portfolio is kept
(``companion.review.feedback_import``)."""
PROPOSAL_SUMMARY = "proposal/summary.md"
"""The proposal summary's note unless ``companion.yaml`` names another."""
COHORT_FILE = "companion-cohort.yaml"
"""A tutor's details of a cohort, in the folder of the cohort's portfolios
(``companion.review.cohort_details``), not in a portfolio."""
