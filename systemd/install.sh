#!/usr/bin/env bash
# Install the kiosk on a Debian terminal: user, folders, app venv, unit, udev rules.
#
#   sudo systemd/install.sh             install (or update) and enable kiosk.service
#   systemd/install.sh --dry-run        print every step, change nothing (no root needed)
#   sudo systemd/install.sh --no-apt    skip the Debian packages (already installed)
#   sudo systemd/install.sh --no-start  install and enable, but do not (re)start now
#
# Idempotent: each step checks what is there first, so running it again after
# a `git pull` updates the app and the unit and leaves the config alone
# (/etc/kiosk/kiosk.toml is written only when absent: from the shipped file
# with FRESH secrets and technician PIN, shown once, and demo = false).

set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USER_NAME=kiosk
GROUPS_WANTED=(dialout video lp input render)
ETC_DIR=/etc/kiosk
STATE_DIR=/var/lib/kiosk
LOG_DIR=/var/log/kiosk
APP_DIR=/opt/kiosk
VENV="$APP_DIR/.venv"
UNIT=/etc/systemd/system/kiosk.service
PAM_FILE=/etc/pam.d/kiosk
UDEV_RULES=/etc/udev/rules.d/99-kiosk.rules
WRAPPER=/usr/local/bin/kiosk
# Runtime packages: the compositor, Python, Qt's system libraries, CJK fonts.
APT_PACKAGES=(cage python3 python3-venv libegl1 libgl1 libfontconfig1 libxkbcommon0
              libglib2.0-0 libdbus-1-3 libpulse0 libwayland-client0 libwayland-cursor0
              libwayland-egl1 libopengl0 libusb-1.0-0 fonts-noto-cjk procps)

DRY_RUN=0
WITH_APT=1
START=1

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

for arg in "$@"; do
    case "$arg" in
        --dry-run|-n) DRY_RUN=1 ;;
        --no-apt) WITH_APT=0 ;;
        --no-start) START=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

# run CMD...: do it, or in a dry run only show it.
run() {
    if [ "$DRY_RUN" = 1 ]; then
        printf '+'; printf ' %q' "$@"; printf '\n'
    else
        "$@"
    fi
}

# write_file PATH MODE: standard input to PATH (shown, not written, in a dry run).
write_file() {
    local path=$1 mode=$2 content
    content=$(cat)
    if [ "$DRY_RUN" = 1 ]; then
        printf '+ write %s (mode %s):\n' "$path" "$mode"
        printf '%s\n' "$content" | grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$' \
            | head -n 12 | sed 's/^/|   /'
    else
        printf '%s\n' "$content" > "$path.tmp.$$"
        chmod "$mode" "$path.tmp.$$"
        mv -f "$path.tmp.$$" "$path"
    fi
}

say() { printf '==> %s\n' "$*"; }

if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" != 0 ]; then
    echo "install.sh: run as root (sudo), or with --dry-run to see the steps" >&2
    exit 1
fi
for f in systemd/kiosk.service systemd/kiosk.pam systemd/99-kiosk.rules kiosk.toml pyproject.toml; do
    if [ ! -f "$SRC/$f" ]; then
        echo "install.sh: $SRC/$f is missing (run it from a kiosk source checkout)" >&2
        exit 1
    fi
done
[ "$DRY_RUN" = 1 ] && say "dry run: nothing is changed"

say "Debian packages"
if [ "$WITH_APT" = 1 ]; then
    missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        run apt-get update
        run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "all present"
    fi
else
    echo "skipped (--no-apt)"
fi

say "user $USER_NAME and its groups"
for group in "${GROUPS_WANTED[@]}"; do
    getent group "$group" >/dev/null || run groupadd --system "$group"
done
if id "$USER_NAME" >/dev/null 2>&1; then
    run usermod --append --groups "$(IFS=,; echo "${GROUPS_WANTED[*]}")" "$USER_NAME"
else
    run useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "Invoicing kiosk" \
        --groups "$(IFS=,; echo "${GROUPS_WANTED[*]}")" "$USER_NAME"
fi

say "folders"
run install -d -m 0755 "$ETC_DIR" "$APP_DIR"
run install -d -m 0750 -o "$USER_NAME" -g "$USER_NAME" "$STATE_DIR" "$LOG_DIR" "$STATE_DIR/config"
# The app writes its JSON logs to <data dir>/logs: keep them in /var/log/kiosk.
if [ -L "$STATE_DIR/logs" ]; then
    echo "$STATE_DIR/logs -> $(readlink "$STATE_DIR/logs")"
elif [ -d "$STATE_DIR/logs" ]; then
    echo "$STATE_DIR/logs is a folder: left as it is (move its files to $LOG_DIR and link it to use $LOG_DIR)"
else
    run ln -s "$LOG_DIR" "$STATE_DIR/logs"
fi

say "configuration"
if [ -e "$ETC_DIR/kiosk.toml" ]; then
    echo "$ETC_DIR/kiosk.toml exists: left unchanged (kiosk config check tells whether demo secrets are left)"
else
    # The shipped secrets are public demo values: a real terminal gets fresh ones,
    # a fresh technician PIN (printed once, on stderr) and demo = false.
    echo "writing $ETC_DIR/kiosk.toml from $SRC/kiosk.toml: data_dir = \"$STATE_DIR\", fresh secrets, demo = false"
    PYTHONPATH="$SRC" python3 -m kiosk.demo_secrets --template "$SRC/kiosk.toml" \
        --data-dir "$STATE_DIR" | write_file "$ETC_DIR/kiosk.toml" 0640
    run chgrp "$USER_NAME" "$ETC_DIR/kiosk.toml"
fi

say "application in $VENV"
[ -x "$VENV/bin/python" ] || run python3 -m venv "$VENV"
run "$VENV/bin/pip" install --quiet --upgrade pip
run "$VENV/bin/pip" install --quiet --upgrade "$SRC"
run install -d -m 0755 "$APP_DIR/docs"
[ -f "$SRC/docs/operations.md" ] && run install -m 0644 "$SRC/docs/operations.md" "$APP_DIR/docs/operations.md"
# `kiosk ...` for the technician, with the service's config and data folder.
write_file "$WRAPPER" 0755 <<EOF
#!/bin/sh
# Installed by the kiosk's install.sh: the kiosk CLI with the service's settings.
export KIOSK_CONFIG="\${KIOSK_CONFIG:-$ETC_DIR/kiosk.toml}"
export KIOSK_DATA_DIR="\${KIOSK_DATA_DIR:-$STATE_DIR}"
exec "$VENV/bin/kiosk" "\$@"
EOF

say "systemd unit, PAM service, udev rules"
run install -m 0644 "$SRC/systemd/kiosk.service" "$UNIT"
[ -e "$PAM_FILE" ] && cmp -s "$SRC/systemd/kiosk.pam" "$PAM_FILE" \
    || run install -m 0644 "$SRC/systemd/kiosk.pam" "$PAM_FILE"
run install -m 0644 "$SRC/systemd/99-kiosk.rules" "$UDEV_RULES"
if command -v udevadm >/dev/null 2>&1 || [ "$DRY_RUN" = 1 ]; then
    run udevadm control --reload
    run udevadm trigger --subsystem-match=tty --subsystem-match=usbmisc \
        --subsystem-match=usb --subsystem-match=video4linux
fi

say "enable"
run systemctl daemon-reload
run systemctl enable kiosk.service
# Boot into the graphical target, which pulls the kiosk in.
[ "$(systemctl get-default 2>/dev/null || true)" = graphical.target ] \
    || run systemctl set-default graphical.target
if [ "$START" = 1 ]; then
    run systemctl restart kiosk.service
fi

say "done. Check it with:  sudo -u $USER_NAME kiosk doctor   and   systemctl status kiosk"
