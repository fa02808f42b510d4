"""The JSON Schema of one subject record, written by `protocol build` and `protocol schema`."""
