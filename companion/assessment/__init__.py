"""What the notes amount to against the qualification: worked out once, shown everywhere.

Flags (``rules``), progress against each AC, the tutor's decisions, gateway readiness, the
proposal summary, the funding rule that applies, off-the-job hours and progress reviews,
and the status that gathers them for every screen and export. ``assessment.otj`` works out
the off-the-job hours against the plan and the rules; the log is read by
``portfolio.otj_log``, worded by ``views.otj``, and changed through ``cli.otj`` and
``screens.otj``.
"""
