"""A screening run: subject data read in batches, evaluated, and reported.

It joins the data readers (`protocol_dsl.data`) and the evaluation
(`protocol_dsl.evaluate`): `run` screens batches, `report` writes what
`protocol screen` prints and saves (text, CSV, JSON Lines), `boxes` draws its tables.
"""
