#!/usr/bin/env bash
# Set up a fresh machine and build the default workbooks into output/.
# Installs the Debian packages the tests use (LibreOffice headless and its Python bridge, poppler,
# fonts, Chromium, nginx for the reverse-proxy test, PostgreSQL for the raw-export SQL test) when
# missing and when run as root, creates .venv with the exact versions pinned in requirements.lock
# and the project itself, then builds.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(libreoffice-calc-nogui python3-uno poppler-utils fonts-crosextra-carlito fonts-dejavu-core chromium nginx postgresql)
missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: missing Debian packages (${missing[*]}); install them as root for the LibreOffice tests" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.lock   # every dependency, pinned (README: refresh the lock)
.venv/bin/python -m pip install -q --no-deps -e .

mkdir -p output
build() {  # build one workbook unless it exists: a file in output/ may hold typed data
  local name=$1; shift
  if [ -e "output/$name" ]; then echo "kept output/$name (exists)"; else .venv/bin/kpigen build --out "output/$name" "$@"; fi
}
for locale in en tr; do
  build "crm-$locale.xlsx" --locale "$locale"
  build "crm-$locale-sample.xlsx" --locale "$locale" --sample
  build "bsc-$locale.xlsx" --catalog kpi_catalog/bsc.yaml --locale "$locale"
done
