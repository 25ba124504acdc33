"""`python -m generator` runs the same CLI as the `awareness` command."""

from generator.cli import run

if __name__ == "__main__":  # not when a spawned worker (macOS, Windows) imports this module as __mp_main__
    run()
