"""Documents made from a portfolio's status, written only where they may be (``output``).

Evidence matrices, the progress export for a tutor, the proposal summary, a progress
review's pack and its signing page, and the EPA bundle with its check. ``run`` is the one
entry point the CLI and the Export screen share.
"""
