"""Documents made from a portfolio's status: matrices, progress, the summary."""
