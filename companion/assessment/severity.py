"""How much a flag matters, said once for the evidence rules and the OTJ log's checks.

An ``error`` blocks gateway and must be fixed; a ``warning`` needs a look and may be
acknowledged. Both words are part of the progress export's schema.
"""

from __future__ import annotations

from typing import Final, Literal

Severity = Literal["error", "warning"]
ERROR: Final = "error"
WARNING: Final = "warning"
SEVERITIES: Final[dict[str, Severity]] = {ERROR: ERROR, WARNING: WARNING}
"""Each severity by its word: a word read back from a file is one of these or no flag."""
