"""The UCUM tables of the generated module: what its unit reader needs, as literals.

The standalone module reads a unit found in the data with the same atoms,
prefixes and limits as the interpreter (`protocol_dsl.semantics.units`), so that it
accepts exactly the units the interpreter accepts and converts them by the
same exact factors.  The reader itself is fixed code in the template; only
the tables come from here, so a unit added to `protocol_dsl.semantics.units` reaches
every generated module the next time it is generated.
"""

from __future__ import annotations

from typing import Any

from protocol_dsl.semantics import units

# The interpreter's own tables: the module must parse with nothing else.
from protocol_dsl.semantics.units import (
    _ATOMS,
    _BASE,
    _BODY_MASS,
    _MAX_DIGITS,
    _MAX_EXPONENT,
    _PREFIXES,
    _SURPRISING,
)


def tables() -> dict[str, Any]:
    """Name of each table of the module's unit reader -> its value (literals only)."""
    atoms = {
        symbol: (
            atom.factor[0],
            atom.factor[1],
            tuple((axis, e) for axis, e in enumerate(atom.dimension) if e),
            atom.metric,
            atom.offset[0],
            atom.offset[1],
        )
        for symbol, atom in _ATOMS.items()
    }
    return {
        "_UCUM_ATOMS": atoms,
        "_UCUM_PREFIXES": dict(_PREFIXES),
        "_UCUM_SURPRISING": tuple(_SURPRISING),
        "_UCUM_AXES": len(units.DIMENSION_NAMES),
        "_UCUM_BASE": _BASE,
        "_UCUM_MASS": units.BASE_DIMENSIONS.index("mass"),
        "_UCUM_LENGTH": units.BASE_DIMENSIONS.index("length"),
        "_UCUM_AMOUNT": units.BASE_DIMENSIONS.index("amount of substance"),
        "_UCUM_BODY_MASS": tuple(_BODY_MASS),
        "_UCUM_MAX_EXPONENT": _MAX_EXPONENT,
        "_UCUM_MAX_DIGITS": _MAX_DIGITS,
    }
