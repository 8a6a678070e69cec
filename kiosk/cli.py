"""The ``kiosk`` command line: one entry point, one subcommand module each.

Every module in :mod:`kiosk.commands` that defines ``register(subparsers)`` adds
its subcommands; a handler is ``handler(args, ctx) -> int``. This module owns
what they share: ``--config``, loading the configuration once with one clear
message on error (never a traceback), logging set-up, and exit codes:

* 0 success, 1 the command failed (its message says why),
* 2 usage or configuration error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk import __version__
from kiosk.config import Config, ConfigError, load_config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

log = logging.getLogger("kiosk.cli")


@dataclass
class Context:
    """What a command handler gets besides its arguments."""

    config_path: str | None
    out: Callable[[str], None] = print
    err: Callable[[str], None] = field(default=lambda s: print(s, file=sys.stderr))
    _config: Config | None = None

    @property
    def config(self) -> Config:
        """The configuration, loaded on first use (a ConfigError reaches main)."""
        if self._config is None:
            self._config = load_config(self.config_path)
            _cache_printer_profiles(self._config)
        return self._config


def _cache_printer_profiles(config: Config) -> None:
    """Keep python-escpos's parsed printer-profile database in the data folder.

    By default it pickles its ~0.2 s YAML parse into a NEW temporary folder at every
    import, so the cache never hits and each start leaves a folder in /tmp behind.
    Must run before escpos is first imported (drivers import it lazily).
    """
    import os

    folder = config.data_path / "cache" / "escpos"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # an unwritable data folder is reported elsewhere; escpos still works
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(folder))


class CommandError(Exception):
    """A command failed for a reason the user can act on; the message is shown as is."""


def say(code: str, **params: object) -> str:
    """The CLI's words for a catalogue code (:mod:`kiosk.messages`), in English."""
    from kiosk.messages import Problem, words

    return words(Problem.of(code, **params), "en")


def _command_modules() -> list[Any]:
    import kiosk.commands as pkg

    return [
        importlib.import_module(f"kiosk.commands.{m.name}")
        for m in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name)
    ]


Registrar = Callable[[Any], None]  # ``register(subparsers)`` of a command module


def build_parser(extra_commands: Sequence[Registrar] = ()) -> argparse.ArgumentParser:
    """The parser with every :mod:`kiosk.commands` module's subcommands, then
    ``extra_commands`` (the composition root adds ``run``: see :mod:`app`)."""
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Self-service VAT e-invoice (数电票) kiosk."
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help="configuration file (default: $KIOSK_CONFIG, else kiosk.toml)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    for extra in extra_commands:
        extra(sub)
    return parser


def main(argv: list[str] | None = None, *, extra_commands: Sequence[Registrar] = ()) -> int:
    """Run one command; the exit code. ``extra_commands`` are more ``register``
    functions (``app.cli.main`` passes ``kiosk run``'s)."""
    parser = build_parser(extra_commands)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    ctx = Context(config_path=args.config)
    try:
        return int(args.func(args, ctx) or 0)
    except ConfigError as err:
        ctx.err(f"kiosk: configuration error: {err}")
        return EXIT_USAGE
    except CommandError as err:
        ctx.err(f"kiosk: {err}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `kiosk logs | head`
        return EXIT_OK
