"""The standalone screening module: the screening plan compiled to plain Python (Jinja2).

`module.build` writes ``screening_checks.py``: the trial's eligibility rules as
Python functions over subject records in the JSON format, with a small
three-valued runtime, using the standard library only.  Every string that
comes from a spec enters the generated code as a ``repr`` literal; every
name in it is generated, never taken from the spec.
"""
