"""``python -m renkei``: the same entry point as the ``renkei`` console command."""

from renkei.cli import main

main()
