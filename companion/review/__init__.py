"""The tutor's side: the files apprentice and tutor exchange, each read as untrusted.

A progress export is checked field by field (``progress_file``; its shape is
``export_shape``), decided on in a feedback file (``feedback``) that the apprentice imports
back (``feedback_import``), gathered into a cohort with the assessor's details
(``cohort``, ``cohort_details``) and written as Results Sheets. ``signoff`` reads the signed
sign-off of a progress review. "Review" here is the tutor reviewing an export; a progress
review meeting is ``assessment.reviews``, and its pack ``exports.review_pack``.
"""
