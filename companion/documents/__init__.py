"""A small document model and its writers: Markdown, CSV, HTML, XLSX, DOCX and PDF.

Every export builds a ``Document`` and any writer renders it, so a format never changes
what an export says. ``documents.markdown`` renders an apprentice's own Markdown into Word
and PDF.
"""
