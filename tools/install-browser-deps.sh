#!/usr/bin/env bash
# install-browser-deps.sh: installs what the server's end-to-end browser test
# and the man pages need, from Debian's packages only (never a browser
# download): headless Chromium, its WebDriver, Selenium for Debian's python3,
# Korean fonts for the page, and help2man.
set -euo pipefail
cd "$(dirname "$0")/.."
exec tools/install-deps.sh chromium chromium-driver python3-selenium fonts-noto-cjk help2man
