#!/usr/bin/env bash
# Installs what the test suite needs beyond PyPI, from Debian: Java (HermiT via owlready2,
# Apache Jena's command-line tools), Apache Jena's libraries, Chromium (browser test).
# Run by `make test`. Needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
dpkg -s libapache-jena-java >/dev/null 2>&1 || need+=(libapache-jena-java)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing from Debian: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: ${need[*]} missing and not root: install them with apt-get" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
