#!/usr/bin/env bash
# Debian packages the test suites and tools need. Run as root: `sudo npm run setup:system`.
#   postgresql          the PostgreSQL suites (the tests start their own server on loopback)
#   mosquitto           the external MQTT broker suites
#   chromium            browser tests (playwright-core drives /usr/bin/chromium, never a downloaded browser)
#   fonts-noto-cjk      Chinese in Chromium and the PDF fallback font for rare characters (e.g. 𠈌)
#   fonts-hanazono      second PDF fallback, covers almost all of CJK Extension B
#   poppler-utils       pdftoppm / pdftotext / pdfinfo to check generated PDFs
#   zbar-tools          zbarimg decodes printed QR codes in tests
#   ffmpeg              makes the fake-camera .y4m videos
#   python3-cryptography  verifies issued certificates independently of jose (Debian's /usr/bin/python3)
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "run as root: sudo npm run setup:system" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  postgresql mosquitto chromium fonts-noto-cjk fonts-hanazono poppler-utils zbar-tools ffmpeg python3-cryptography
# Debian starts services on install; the tests start their own on loopback ports.
(service postgresql stop || true) >/dev/null 2>&1
(service mosquitto stop || true) >/dev/null 2>&1
echo "system packages installed"
