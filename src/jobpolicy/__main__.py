"""Allow ``python -m jobpolicy``."""

from jobpolicy.cli import main

main()
