"""One note file, exactly: read, parse, record, and change only the keys the app owns."""
