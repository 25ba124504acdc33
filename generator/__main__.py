"""`python -m generator` runs the same CLI as the `awareness` command."""

from generator.cli import run

run()
