#!/usr/bin/env bash
# Install the system packages creditportal needs when they are missing: Pango (WeasyPrint's text layout),
# Noto CJK fonts (Chinese decision documents), gettext (compiling the Chinese catalogue) and Chromium (the
# end-to-end tests drive Debian's browser through Playwright; Playwright never downloads one of its own).
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep 'libpango-1.0.so' >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
fc-list 2>/dev/null | grep -i 'Noto Sans CJK\|Noto Serif CJK' >/dev/null || missing+=(fonts-noto-cjk fontconfig)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# pg_dump, pg_restore and psql for make backup / make restore and the restore drill (PostgreSQL may run elsewhere)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
# pdftoppm, to look at a rendered PDF page by page (docs/architecture.md "Documents")
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# certutil, for the tests that check documents' signatures in Poppler's pdfsig (NSS) as well as in pyHanko
command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)
# wrk, the load generator make bench measures the lists' throughput with (issue 23; a slower Python one stands in
# where it is missing)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "creditportal: installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "creditportal: these Debian/Ubuntu packages are missing and I cannot install them without root:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "creditportal: no apt-get here; install the equivalents of: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
