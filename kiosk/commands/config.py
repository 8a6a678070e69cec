"""``kiosk config check [PATH]``, ``kiosk config show``, ``kiosk config hash-pin``."""

from __future__ import annotations

import argparse
import getpass
import json
from typing import Any

from kiosk.cli import EXIT_USAGE, say
from kiosk.config import hash_pin, load_config, secret_file_problems
from kiosk.demo_secrets import demo_secret_problem, demo_secrets_in
from kiosk.messages import words


def register(sub: Any) -> None:
    parser = sub.add_parser("config", help="check or show the configuration")
    csub = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = csub.add_parser("check", help="validate a configuration file")
    check.add_argument("path", nargs="?", help="file to check (default: the one --config selects)")
    check.set_defaults(func=check_cmd)
    show = csub.add_parser("show", help="print the effective configuration, secrets hidden")
    show.set_defaults(func=show_cmd)
    pin = csub.add_parser("hash-pin", help="hash a technician PIN for admin.pin_hash")
    pin.add_argument("--pin", help="the PIN (prompted for when omitted)")
    pin.set_defaults(func=hash_pin_cmd)


def check_cmd(args: argparse.Namespace, ctx: Any) -> int:
    """Valid, and no public demo secret unless ``[kiosk] demo = true`` (else exit 2)."""
    cfg = load_config(args.path or ctx.config_path)  # ConfigError -> exit 2 in main
    file_problems = secret_file_problems(cfg)
    for line in file_problems:
        ctx.err(line)
    if file_problems:
        return 2
    problem = demo_secret_problem(cfg)
    if problem is not None:
        ctx.err("kiosk: configuration error: " + words(problem, "en"))
        return EXIT_USAGE
    keys = demo_secrets_in(cfg) if cfg.kiosk.demo else []
    if keys:
        ctx.out(say("cli.config_ok_demo", file=cfg.source, data=cfg.data_path, keys=", ".join(keys)))
    else:
        ctx.out(say("cli.config_ok", file=cfg.source, data=cfg.data_path))
    return 0


def show_cmd(args: argparse.Namespace, ctx: Any) -> int:
    cfg = ctx.config
    ctx.out(json.dumps({"source": cfg.source, "data_path": str(cfg.data_path), **cfg.redacted()},
                       ensure_ascii=False, indent=2))
    return 0


def hash_pin_cmd(args: argparse.Namespace, ctx: Any) -> int:
    pin = args.pin or getpass.getpass("PIN: ")
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        ctx.err("kiosk: a PIN is 4 to 12 digits")
        return 2
    ctx.out(hash_pin(pin))
    return 0
