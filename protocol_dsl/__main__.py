"""`python -m protocol_dsl` runs the `protocol` command."""

from protocol_dsl.cli import main

main()
