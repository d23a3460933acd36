"""The bundled framework: the City & Guilds / ILM Level 7 Diploma for Senior Leaders, as data."""
