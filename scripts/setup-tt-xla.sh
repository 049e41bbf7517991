#!/usr/bin/env bash
# Makes .venv-tt-xla, the TT-XLA stack's interpreter: requirements-cpu.txt's pins plus jax-tt-plugin
# (requirements-tt-xla.txt). By default it is layered on .venv through a .pth file (only the plugin is
# installed; .venv itself never sees it, as it is the CPU reference environment). PYTHON_TT_XLA=python3.x
# makes a full, separate install with that interpreter instead.
# A machine that cannot get the plugin (no wheel for its platform, no network) is told so, and setup goes
# on: the tt-xla stack is then reported unusable, with the reason, by `ttprobe detect`.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-tt-xla
stamp="$venv/.ttprobe-requirements"
base=${PYTHON_TT_XLA:-}
# What the venv was made from: the requirement files and the base; a change of either remakes it.
want="$(cat requirements-tt-xla.txt requirements-cpu.txt; echo "base=${base:-.venv}")"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

say() { echo "setup: $*" >&2; }
rm -rf "$venv"
if [ -z "$base" ]; then
  if [ ! -x .venv/bin/python ]; then
    say "no .venv to layer the TT-XLA interpreter on; run scripts/setup.sh first"
    exit 2
  fi
  say "creating the TT-XLA interpreter ($venv) on top of .venv"
  .venv/bin/python -m venv --without-pip "$venv"
  purelib=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
  # site.addsitedir, so that .venv's own .pth files count too; .venv's folders come after the venv's own.
  .venv/bin/python -c 'import json, site; [print(f"import site; site.addsitedir({json.dumps(d)})") for d in site.getsitepackages()]' \
    > "$purelib/_ttprobe_base.pth"
  pip=(.venv/bin/python -m pip --python "$venv/bin/python")
  reqs=(-r requirements-tt-xla.txt)
else
  if ! "$base" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "PYTHON_TT_XLA=$base is not a Python 3.11+ interpreter; the TT-XLA interpreter is not made"
    exit 2
  fi
  say "creating the TT-XLA interpreter ($venv) with $base"
  "$base" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  pip=("$venv/bin/python" -m pip)
  reqs=(-r requirements-cpu.txt -r requirements-tt-xla.txt)
fi

log=$(mktemp)
if "${pip[@]}" install -q --disable-pip-version-check --no-input "${reqs[@]}" >"$log" 2>&1; then
  rm -f "$log"
  echo "$want" > "$stamp"
  say "TT-XLA interpreter ready: $("$venv/bin/python" -c 'import importlib.metadata as m; print("jax-tt-plugin", m.version("jax-tt-plugin"))')"
else
  # Kept without its stamp: the next setup tries again, and detect names what is missing meanwhile.
  say "WARNING: could not install $(grep -v '^#' requirements-tt-xla.txt | xargs) into $venv ($(uname -sm)):"
  grep -iE 'error|no matching|could not' "$log" | tail -3 | sed 's/^/setup:   /' >&2 || tail -3 "$log" >&2
  say "the tt-xla stack will be reported unusable (see 'node bin/ttprobe.js detect'); everything else goes on"
  rm -f "$log"
fi
