"""`python -m annot`."""

from .cli import run

run()
