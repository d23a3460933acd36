"""The terminal interface: every module that imports Textual lives in this package.

Screens call the domain modules in ``companion``; nothing outside ``companion.ui`` imports
Textual, so the CLI, tutors' scripts and the tests use the domain bare.
"""
