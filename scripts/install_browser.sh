#!/bin/sh
# Debian's chromium and the Noto CJK fonts, for the browser end-to-end tests (tests/e2e/), npm, which installs the
# axe-core those tests inject (package.json), and nginx, for the
# production smoke test's proxy (tests/reliability/test_production_smoke.py, with deploy/nginx/portal.conf):
# installed with apt when missing, as root or through passwordless sudo. When they cannot be installed this
# says so and returns success: those tests then skip on a developer's machine (the browser ones fail under CI=true).
have() {
    command -v chromium >/dev/null 2>&1 && ls /usr/share/fonts/*/noto/NotoSansCJK* >/dev/null 2>&1 \
        && { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && command -v npm >/dev/null 2>&1
}
have && exit 0
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install_browser: chromium, fonts-noto-cjk, nginx or npm missing and no root to install them (apt-get install chromium fonts-noto-cjk nginx nodejs npm)" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: no apt-get here; install chromium, the Noto CJK fonts, nginx and npm by hand" >&2
    exit 0
fi
# Only what is missing: a Node.js from another source (NodeSource's bundles npm) conflicts with Debian's npm.
PACKAGES="chromium fonts-noto-cjk nginx"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $PACKAGES
