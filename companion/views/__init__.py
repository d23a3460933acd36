"""Text the CLI prints and the screens show, built without Textual so the two say the same.

Each module words what a layer below works out: ``views.otj`` the off-the-job hours and
reviews from ``assessment.otj`` and ``assessment.reviews``, ``views.citations`` and
``views.links`` a note's citations and links, ``views.review`` an export as the tutor reads
it, ``views.criterion`` an AC explained.
"""
