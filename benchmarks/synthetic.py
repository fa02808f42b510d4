"""Synthetic specs of a given size, for timing the front end.

The generated spec looks like a large real protocol: many forms with items of
every type, definitions, inclusion and exclusion criteria over those items,
and a long schedule.  It checks clean, so the benchmark times the full
pipeline rather than error reporting.
"""

from __future__ import annotations


def synthetic_spec(target_lines: int) -> str:
    """A clean spec of about `target_lines` lines."""
    out = [
        "trial SYNTHETIC {",
        '  title "Synthetic trial for benchmarking"',
        "  enrolment 100",
        "  eligibility_visit SCR",
        "}",
        "",
        'epoch screening "Screening"',
        'epoch treatment "Treatment"',
        'visit SCR "Screening" day -28 .. -1 in screening',
        'visit D1 "Day 1" day 1 in treatment',
        'visit D29 "Day 29" day 29 in treatment',
        'anchor screening "Screening" = visit SCR',
        'anchor first_dose "First dose" = visit D1',
        "",
        'codelist result "Result" {',
        '  positive "Positive"',
        '  negative "Negative"',
        "}",
        "",
        'objective OBJ1 primary "To assess the synthetic treatment" {',
        '  endpoint RESPONSE "Response at day 29" timeframe "Day 29" until 28 days after first_dose',
        "}",
        "",
    ]
    block = 0
    while len(out) < target_lines:
        block += 1
        out += [
            f'form labs_{block} "Laboratory panel {block}" at SCR, D1, D29 {{',
            f'  c3_{block}      quantity g/L "Complement C3" range 0 .. 10',
            f'  c3_lln_{block}  quantity g/L "C3 lower limit of normal"',
            f'  titer_{block}   titer "ANA titer"',
            f'  result_{block}  choice result "Antibody"',
            f'  count_{block}   integer "Count" range 0 .. 100',
            f'  done_{block}    date "Date of test" for_reporting',
            "}",
            "",
            f'form screening_{block} "Screening questions {block}" at SCR {{',
            f'  any_history_{block} yes_no "Any medical history?"',
            "}",
            "",
            # a log says how "none" is recorded (its "any records?" question), as in a
            # real protocol: without it a subject with no records stays unknown (W0509)
            f'form history_{block} "History {block}" repeating at SCR',
            f"  none_recorded_by screening_{block}.any_history_{block} {{",
            f'  term_{block}  text "Term" for_reporting',
            f'  onset_{block} date "Onset"',
            f'  ongoing_{block} yes_no "Ongoing"',
            "}",
            "",
            f'define low_{block} "Low complement {block}"',
            f"  = labs_{block}.c3_{block} < labs_{block}.c3_lln_{block}",
            f"    or labs_{block}.c3_{block} < 0.9 g/L",
            "",
            f'inclusion I{block} "Criterion {block}: positive serology or low complement"',
            f"  = labs_{block}.titer_{block} at SCR >= 1:80",
            f"    or labs_{block}.result_{block} = positive",
            f"    or (low_{block} and labs_{block}.count_{block} between 1 and 50)",
            "",
            f'exclusion E{block} "Criterion {block}: recent history"',
            f"  = any history_{block} where onset_{block} within 12 weeks before first_dose",
            f"      and ongoing_{block} = yes",
            "",
        ]
    return "\n".join(out) + "\n"
