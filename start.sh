#!/usr/bin/env bash
# Set up what is missing, then start the kiosk on emulated devices and the
# embedded sandbox platform. With a display it opens a window beside the device
# simulator; with none (e.g. over SSH) it runs offscreen - see README.md.
# Extra arguments go to `kiosk run` (e.g. --screenshot shot.png).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "start: no display found; running offscreen (QT_QPA_PLATFORM=offscreen)" >&2
  export QT_QPA_PLATFORM=offscreen
fi
exec .venv/bin/kiosk run --windowed "$@"
