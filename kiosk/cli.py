"""The ``kiosk`` command line: one entry point, one subcommand module each.

Every module in :mod:`kiosk.commands` that defines ``register(subparsers)`` adds
its subcommands; a handler is ``handler(args, ctx) -> int``. This module owns
what they share: ``--config``, loading the configuration once with one clear
message on error (never a traceback), logging set-up, and exit codes:

* 0 success, 1 the command failed (its message says why),
* 2 usage or configuration error,
* 3 (``issue``, ``pending``, ``lookup``) not done yet: queued or unknown,
* 4 the data folder or the kiosk database cannot be used (read-only, full,
  damaged or emptied database: ``kiosk db check``), 130 interrupted.

Storage faults never print a traceback: :func:`main` turns them into one line
and exit 4, and :func:`startup_problem` lets ``kiosk run`` show the
out-of-service screen instead (under systemd a crash would only loop).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.config import Config, ConfigError, load_config
from kiosk.dbcheck import DatabaseRefused

if TYPE_CHECKING:
    from drivers.problem import Problem

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STORAGE = 4
WATCH_INTERVAL_S = 15.0

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
            if self._config.fleet.enabled:  # what the back office pushed applies here too
                from kiosk.fleet.policy import in_force_at_start

                self._config = in_force_at_start(self._config)
            _cache_printer_profiles(self._config)
        return self._config


def _cache_printer_profiles(config: Config) -> None:
    """Keep python-escpos's parsed printer-profile database in the data folder, whole.

    By default it pickles its ~0.2 s YAML parse into a NEW temporary folder at every
    import, so the cache never hits and each start leaves a folder in /tmp behind; and
    it writes the pickle in place, so a process starting beside another read half a
    file (:mod:`drivers.printer.profiles` writes it atomically first).
    Must run before escpos is first imported (drivers import it lazily).
    """
    from drivers.printer.profiles import prepare_profile_cache

    # the folder escpos will read: one the environment names, or the data folder's
    folder = os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR") or str(
        config.data_path / "cache" / "escpos")
    try:
        prepare_profile_cache(Path(folder))
    except OSError:
        return  # an unwritable data folder is reported elsewhere; escpos still works
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = folder


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
    except DatabaseRefused as err:
        ctx.err("kiosk: " + _words(err.problem))
        return EXIT_STORAGE
    except (sqlite3.Error, OSError) as err:
        return _storage_failed(ctx, err)


def _words(problem: Problem) -> str:
    from kiosk.messages import words

    return words(problem, "en")


def _storage_failed(ctx: Context, err: sqlite3.Error | OSError) -> int:
    """A storage fault (read-only, full, gone) as one line; other OS errors too, exit 1."""
    data = ctx._config.data_path if ctx._config is not None else None
    where = getattr(err, "filename", None)
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    inside = data is not None and where is not None and str(where).startswith(str(data))
    if isinstance(err, sqlite3.Error) or inside:
        ctx.err("kiosk: " + say("storage.unusable", path=data or "?", reason=reason))
        log.info("storage unusable: %s", reason, extra={"event": "storage.unusable"})
        return EXIT_STORAGE
    ctx.err(f"kiosk: {reason}" + (f": {where}" if where else ""))
    return EXIT_FAILED


def startup_problem(config: Config) -> Problem | None:
    """Why the kiosk cannot start with this config, data folder and database, or None.

    A non-demo config holding a public demo secret is refused
    (:func:`kiosk.demo_secrets.demo_secret_problem`). The data folder must take a synced write (a read-only or full disk fails
    here), and the kiosk database must be whole (created whole when missing;
    damaged, emptied or with a broken audit chain is refused).
    """
    from drivers.problem import Problem
    from kiosk.dbcheck import check_file, guard_database
    from kiosk.demo_secrets import demo_secret_problem
    from kiosk.storage import DB_FILE

    secrets_left = demo_secret_problem(config)  # public demo secrets on a real kiosk
    if secrets_left is not None:
        return secrets_left
    data = config.data_path
    probe = data / f".kiosk-probe-{os.getpid()}"
    try:
        data.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as fh:
            fh.write(b"probe")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
        guard_database(data / DB_FILE)
    except DatabaseRefused as err:
        return err.problem
    except (OSError, sqlite3.Error) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return Problem.of("storage.unusable", path=data, reason=reason)
    report = check_file(data / DB_FILE)  # and the audit chain, once at start-up
    return report.problem


def refuse_start(config: Config, problem: Problem, out_of_service: Callable[[str], int] | None) -> int:
    """``kiosk run`` cannot start: one line and exit 4 on a terminal; under systemd
    (``out_of_service`` given) the out-of-service screen, while a thread keeps
    checking and exits the process (systemd starts the kiosk afresh) once the
    fault has cleared."""
    message = _words(problem)
    if out_of_service is None:
        print(f"kiosk: {message}", file=sys.stderr)
        return EXIT_USAGE if problem.code.startswith("config.") else EXIT_STORAGE
    log.error("kiosk cannot start: %s", message,
              extra={"event": "app.start_refused", "code": problem.code})
    watch_until_clear(config, problem)
    return out_of_service(message)


def watch_until_clear(config: Config, problem: Problem, *,
                      interval_s: float = WATCH_INTERVAL_S,
                      on_clear: Callable[[], None] | None = None) -> threading.Event:
    """Re-check :func:`startup_problem` every ``interval_s``; once clear, ``on_clear``
    (default: exit 0, so systemd's ``Restart=always`` starts the kiosk normally).
    Set the returned event to stop watching."""
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(interval_s):
            if startup_problem(_reloaded(config)) is None:
                log.info("start-up fault cleared: restarting", extra={
                    "event": "app.start_fault_cleared", "code": problem.code})
                (on_clear or _exit_for_restart)()
                return

    threading.Thread(target=watch, name="kiosk-startup-watch", daemon=True).start()
    return stop


def _reloaded(config: Config) -> Config:
    """The config file read again (a technician may have fixed it), else ``config``."""
    try:
        return load_config(config.source) if Path(config.source).is_file() else config
    except ConfigError:
        return config


def _exit_for_restart() -> None:
    logging.shutdown()
    os._exit(EXIT_OK)
