#!/bin/sh
# Installs Debian's Chromium for the web browser test (tests/web/test_web_browser.py), unless present.
# Playwright drives it with executable_path=/usr/bin/chromium; no Playwright browser download is used.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium
/usr/bin/chromium --version
