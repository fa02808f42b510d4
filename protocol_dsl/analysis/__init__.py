"""Endpoints computed on subject data (`protocol endpoints`), in analysis-ready tables.

`plan` lists what each endpoint of a spec computes; `derive` computes it with
the interpreter (values, and why each is what it is); the SQL engine
(`generators/endpoints`) computes the same values with one query;
`tables` lays both out in the ADaM structures the endpoint kinds call for.
"""
