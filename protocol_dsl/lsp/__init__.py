"""The language server (`protocol lsp`): the compiler's answers, kept warm in an editor.

A long-lived process holds the open specs, re-checks them as they are edited
and answers the editor's questions (hover, definition, references, rename,
completion, outline, formatting, fixes, highlighting) from the same model,
diagnostics and words that `protocol check` and the protocol document use.
Each module owns one feature; `server` wires them to the protocol (pygls).
"""
