#!/usr/bin/env bash
# Sets up ttprobe on a fresh machine: node packages, the build, the probe venv (.venv), the TT-XLA stack's
# interpreter (.venv-tt-xla, scripts/setup-tt-xla.sh) and, as root on
# Debian, ffmpeg (video stitching) and, with --with-test-deps, chromium (report tests in a real browser).
set -euo pipefail
cd "$(dirname "$0")/.."

with_test_deps=0
for arg in "$@"; do
  case "$arg" in
    --with-test-deps) with_test_deps=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

need_pkgs=()
command -v ffmpeg >/dev/null || need_pkgs+=(ffmpeg)
[ "$with_test_deps" = 1 ] && ! command -v chromium >/dev/null && need_pkgs+=(chromium)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${need_pkgs[*]} from Debian" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: please install ${need_pkgs[*]} (not root, or no apt-get); continuing without" >&2
  fi
fi

echo "setup: npm packages and build" >&2
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund; fi
npm run --silent build

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  # The pins (jax 0.7.1, numpy 2.4, scipy 1.17) have no wheels for 3.10: say so instead of a pip error.
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    found=$("$python" -V 2>/dev/null || echo "not found")
    echo "setup: the probe venv needs Python 3.11+, but $python is $found; set PYTHON=python3.11 (or newer)" >&2
    exit 2
  fi
  echo "setup: creating the probe venv (.venv) with $python" >&2
  "$python" -m venv .venv
fi
if ! cmp -s requirements-cpu.txt .venv/.ttprobe-requirements 2>/dev/null; then
  echo "setup: installing requirements-cpu.txt into .venv (a few minutes the first time)" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-cpu.txt
  cp requirements-cpu.txt .venv/.ttprobe-requirements
fi
# The TT-XLA stack's own interpreter with the real plugin; says so and goes on where it cannot be had.
bash scripts/setup-tt-xla.sh
bash scripts/setup-tt-metal.sh
echo "setup: done" >&2
