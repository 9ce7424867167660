"""`python -m curbside` runs the command line."""

from curbside.cli import main

main()
