"""A small document model and its renderers (Markdown, CSV, XLSX, DOCX, HTML)."""
