"""Text as words and lines, knowing nothing of portfolios, so every layer above can use it.

Tokens and word counts by part (``wordcount``, by the rules in ``word_rules``), Harvard
citations found in a text and matched to a reference list (``citations``,
``citation_match``, ``references``), link syntax (``links``), the place a tag's ``where``
points at (``locate``), search queries, the values people type by hand (``values``,
``names``), and text made safe for Markdown, terminals and XML. The same names one layer up
are about a note: ``notes.citations`` is one note's citations, ``assessment.links`` resolves
links between notes, and ``documents.markdown`` renders an apprentice's Markdown, where
``text.markdown`` escapes someone's text inside it.
"""
