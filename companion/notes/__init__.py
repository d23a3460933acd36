"""One note file, exactly: read, parse, record, and change only the keys the app owns.

Its front matter, its evidence tags, its citations and reference list, and the card a note
is for an evidence file; every change goes through ``edit``, one transaction per note.
"""
