#!/usr/bin/env bash
# Installs what the stack needs from Debian's packages (Tryton 6.0 and its modules, a JDK and Maven
# for Kafka and Debezium, the database clients, and Chromium for the console's browser tests: browsers cannot be
# downloaded by npm packages here, so playwright-core drives Debian's /usr/bin/chromium; Prometheus and promtool for
# the metrics tests and the alert rules' unit tests). Idempotent: apt runs only when something is missing.
set -euo pipefail

# --no-install-recommends keeps Tryton to ~110 packages instead of ~760; apt does not pull in every
# module dependency, so the modules finsync uses are named one by one.
PACKAGES=(
  tryton-server tryton-proteus python3-psycopg2
  tryton-modules-account-invoice tryton-modules-account-payment tryton-modules-account-product
  tryton-modules-product tryton-modules-country tryton-modules-bank
  openjdk-17-jdk-headless maven curl postgresql-client mariadb-client
  chromium
  prometheus
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install: every Debian package is present"
  exit 0
fi
echo "install: apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
