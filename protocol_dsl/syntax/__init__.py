"""The front end: grammar, lexer, parser, model builder, loader, and the way back
(printer, formatter).

It reads source text and makes the model (`protocol_dsl.model`); it knows
nothing of meaning (types, units) or of what later stages do with the model.
"""
