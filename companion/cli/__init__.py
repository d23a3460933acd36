"""The ``companion`` command: every feature, headless.

``parser`` is one table of commands, each naming its handler in a module here by group
(``cli.otj`` holds the ``otj``, ``reviews``, review pack and sign-off commands); a handler opens the
portfolio through ``common``, calls the layers below and prints a view.
"""
