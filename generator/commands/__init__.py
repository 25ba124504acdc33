"""The `awareness` commands, one module each: a command parses its options, calls the library and turns
problems into messages and exit codes; it holds no logic. `common` has what several share.
generator.cli gathers them into the `awareness` group."""
