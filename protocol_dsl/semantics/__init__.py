"""The meaning of a spec: expression types, units and scales, conversions between
them, and expressions in plain words.

It reads the model and the front end; the checks, the solver, evaluation and
the back ends read it.
"""
