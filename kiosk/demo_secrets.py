"""The shipped demo secrets: recognise them, refuse them off a demo, replace them.

The shipped ``kiosk.toml`` carries three PUBLIC values so that a demo works
out of the box: the technician PIN 246810 (as ``admin.pin_hash``), the
receipt-QR signing key ``orders.qr_secret`` and the platform app secret
``platform.remote.app_secret``. Anyone who has read the repository can open
diagnostics mode, forge receipt QR codes for stored orders, or sign platform
calls with them. They are allowed only while ``[kiosk] demo = true``:

- :func:`demo_secrets_in` names the keys that still hold a demo value (the
  demo PIN is recognised under any salt, by verifying it against the hash);
- :func:`demo_secret_problem` is the out-of-service reason for a non-demo
  kiosk holding one (``kiosk config check`` and ``kiosk doctor`` fail on it);
- :func:`fresh_config` turns the shipped file into a real terminal's: fresh
  random secrets, a fresh six-digit PIN (returned, to be shown once),
  ``demo = false``, no demo orders. ``systemd/install.sh`` runs this module
  (``python3 -m kiosk.demo_secrets``) with the system Python: it needs only
  the standard library and :mod:`kiosk.config`.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from pathlib import Path

from drivers.problem import Problem
from kiosk.config import (
    DEFAULT_CONFIG_PATH,
    AdminConfig,
    Config,
    OrdersConfig,
    RemoteConfig,
    verify_pin,
)

DEMO_PIN = "246810"
DEMO_PIN_HASH = AdminConfig().pin_hash
DEMO_QR_SECRET = OrdersConfig().qr_secret
DEMO_APP_SECRET = RemoteConfig().app_secret
PIN_DIGITS = 6


def demo_secrets_in(config: Config) -> list[str]:
    """The dotted keys of ``config`` that hold a shipped demo secret, in file order."""
    found = []
    pin_hash = config.admin.pin_hash
    if pin_hash == DEMO_PIN_HASH or verify_pin(DEMO_PIN, pin_hash):
        found.append("admin.pin_hash")
    if config.orders.qr_secret == DEMO_QR_SECRET:
        found.append("orders.qr_secret")
    if config.platform.remote.app_secret == DEMO_APP_SECRET:
        found.append("platform.remote.app_secret")
    return found


def demo_secret_problem(config: Config) -> Problem | None:
    """Why a non-demo kiosk must not serve (a demo secret left in), or None.

    The composition root shows the out-of-service screen with these words; the
    technician fixes the named keys (or runs ``systemd/install.sh`` on a fresh
    ``/etc/kiosk``).
    """
    if config.kiosk.demo:
        return None
    keys = demo_secrets_in(config)
    if not keys:
        return None
    return Problem.of("config.demo_secrets", keys=", ".join(keys), file=config.source)


def new_pin() -> str:
    return f"{secrets.randbelow(10 ** PIN_DIGITS):0{PIN_DIGITS}d}"


def _set(text: str, key: str, value: str) -> str:
    new, count = re.subn(rf"^{re.escape(key)} = .*$", lambda _m: f"{key} = {value}", text,
                         count=1, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"the template has no line '{key} = ...'")
    return new


def fresh_config(template: str, *, data_dir: str) -> tuple[str, str]:
    """The shipped config text with fresh secrets, ``demo = false``; returns (text, PIN)."""
    from kiosk.config import hash_pin

    pin = new_pin()
    text = template
    for key, value in [
        ("demo", "false"),
        ("seed_demo", "false"),
        ("data_dir", f'"{data_dir}"'),
        ("pin_hash", f'"{hash_pin(pin)}"'),
        ("qr_secret", f'"{secrets.token_urlsafe(32)}"'),
        ("app_secret", f'"{secrets.token_urlsafe(32)}"'),
    ]:
        text = _set(text, key, value)
    return text, pin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m kiosk.demo_secrets",
        description="Print a real terminal's kiosk.toml (fresh secrets, demo = false) on "
                    "stdout; the new technician PIN goes to stderr, shown once.")
    parser.add_argument("--template", type=Path, default=DEFAULT_CONFIG_PATH)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args(argv)
    text, pin = fresh_config(args.template.read_text(encoding="utf-8"), data_dir=args.data_dir)
    sys.stdout.write(text)
    print(f"technician PIN (shown once, write it down): {pin}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
