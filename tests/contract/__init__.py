"""The contract: every command works, or refuses with a documented code, on every spec
`protocol check` accepts (generated specs, non-canonical spellings, mutated real specs,
and generated subject data)."""
