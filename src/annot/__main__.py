"""`python -m annot`."""

from .main import run

run()
