"""Run CDISC's USDM rules (the `usdm4` package's rule library) on one USDM JSON file.

Run with a Python 3.12 interpreter that has `usdm4` installed (the package needs
3.12 or newer; the project supports older versions, so the test calls this script
in a separate interpreter).  The library's rules run offline (CDISC CORE, which
downloads its rules, is not used).  Prints one JSON object: for every rule, its
status and the number of findings, with the first messages.
"""

from __future__ import annotations

import json
import sys

from simple_error_log.errors import Errors
from usdm4 import USDM4


def main(path: str) -> None:
    results = USDM4().validate(path)
    rules = {}
    for rule_id in sorted(results.outcomes):
        outcome = results.outcomes[rule_id]
        errors = outcome.errors.to_dict(level=Errors.DEBUG)
        rules[rule_id] = {
            "status": outcome.status.value,
            "findings": len(errors),
            "messages": sorted({str(e.get("message", "")) for e in errors})[:5],
            "exception": (outcome.exception or "").splitlines()[0] if outcome.exception else None,
        }
    json.dump({"rules": rules}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
