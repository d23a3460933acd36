"""Widgets the screens share: the footer, text shown as written, inputs that stay safe,
and opening a file in its own viewer."""
