"""The `protocol` subcommands, one module each; shared options in `options`."""
