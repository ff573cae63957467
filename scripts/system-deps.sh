#!/usr/bin/env bash
# Debian packages the test suite needs (a test skipped in CI is a test that does not exist):
# fonts-noto-cjk renders CJK text into the OCR test images. Installs only what is missing.
set -euo pipefail
need=()
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
# chromium + chromium-driver run the review page in a real browser (tests/test_review_browser.py)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "system-deps: need root to install: ${need[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
