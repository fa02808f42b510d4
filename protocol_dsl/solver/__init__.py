"""The eligibility criteria as SMT formulas (z3): consistency findings and witnesses.

`encode` turns criteria into three-valued z3 formulas over the items they
read (with `terms`, the values it encodes to, and `calendar`, dates and
calendar arithmetic), `logic` asks the solver what no subject can satisfy
(the E04xx/W04xx findings of `protocol check`), `witness` builds example
subject records from its models (`protocol witness`), and `ranges` compares
thresholds with the items' allowed ranges without the solver.

Importing this package is free; `encode`, `terms`, `logic` and `witness`
import z3, so they are imported only when a spec has formal criteria.
"""
