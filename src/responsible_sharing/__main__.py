"""`python -m responsible_sharing` runs the rsf command."""

from .cli import main

main()
