#!/usr/bin/env bash
# Set up what is missing, then start the kiosk on emulated devices and the
# embedded sandbox platform. With a display it opens a window beside the device
# simulator; with none (e.g. over SSH) it runs offscreen - see README.md.
# Extra arguments go to `kiosk run` (e.g. --screenshot shot.png).
#
# ./start.sh --fleet [ARGS]: instead, a small fleet on this machine - NATS
# JetStream, PostgreSQL, the central service with its back-office page
# (http://127.0.0.1:8480/) and three kiosks issuing demo invoices
# (`kiosk fleet demo`, docs/fleet.md); ARGS go to `kiosk fleet demo`.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--fleet" ]; then
  shift
  scripts/setup.sh --fleet
  exec .venv/bin/kiosk fleet demo "$@"
fi
scripts/setup.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "start: no display found; running offscreen (QT_QPA_PLATFORM=offscreen)" >&2
  export QT_QPA_PLATFORM=offscreen
fi
exec .venv/bin/kiosk run --windowed "$@"
