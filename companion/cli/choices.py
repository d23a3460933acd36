"""The fixed choices some options take, written out so the parser loads no domain module.

Each tuple mirrors a constant of the module that owns it (``tests/test_cli_parser.py``
checks they stay equal); importing those modules would load most of the package just to
print ``--help``.
"""

from __future__ import annotations

MATRIX_FORMATS = ("md", "csv", "xlsx", "docx", "html", "pdf")
"""companion.documents.writers.FORMATS"""
SUMMARY_FORMATS = ("md", "docx", "pdf")
"""companion.exports.proposal.SUMMARY_FORMATS"""
RESULT_FORMATS = ("md", "docx", "pdf")
"""companion.review.results_sheet.RESULT_FORMATS"""
DECISIONS = ("pass", "referral", "not-assessed")
"""companion.review.feedback.DECISIONS"""
NOTE_SORTS = ("ref", "date", "type", "title", "words", "tags", "flags")
"""companion.views.note_list.SORTS"""
COHORT_SORTS = (
    "learner",
    "sufficient",
    "pd_ksbs",
    "errors",
    "warnings",
    "days_to_gateway",
    "otj_behind",
    "review_overdue",
    "generated",
    "referrals",
    "changed",
)
"""companion.review.cohort.SORT_KEYS"""
PACK_FORMATS = ("docx", "pdf", "md", "html")
"""companion.exports.review_pack.PACK_FORMATS"""
