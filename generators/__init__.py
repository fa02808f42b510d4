"""Back ends: everything `protocol build` writes from a checked spec.

Each artefact family is one subpackage; `generators.registry` lists them.
A generator reads the checked model (`protocol_dsl.spec.Spec`) only.
"""
