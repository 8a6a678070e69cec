"""Subcommands of the ``kiosk`` CLI: each module defines ``register(subparsers)``."""
