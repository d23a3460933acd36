"""Evidence files as apprentices keep them: Word, PDF, PowerPoint, spreadsheets, images and
recordings, read (never written) into text with its places and the facts an assessor needs.

``read_evidence_file`` never raises for a bad file: a missing, damaged, encrypted, disguised
or oversized file comes back with a ``ReadProblem`` and no text, within bounded time and
memory (``Limits``), so one bad file never stops a scan.
"""
