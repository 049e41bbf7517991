#!/usr/bin/env bash
# The tt-metal stack's own interpreter and the host tool tt-smi, called from scripts/setup.sh.
#  - .venv-tt-metal: Python 3.12 or 3.10 (tt-metal's `ttnn` wheel has cp312 and cp310 builds only) with
#    requirements-tt-metal.txt. Skipped, with the reason, when neither Python exists.
#  - a kernel toolchain (SFPI) for ttnn: the wheel ships none, and without one ttnn stops at "sfpi not
#    found" as soon as it opens a device, mock or real. ttnn looks in <ttnn>/runtime/sfpi, then
#    /opt/tenstorrent/sfpi; when neither is there we link the first Blackhole toolchain we find
#    (see find_sfpi). Its version may differ from the one ttnn was built with: the probes report that.
#  - .venv-tt-smi: tt-smi with its pinned tt-umd, kept apart from ttnn's own UMD.
# Every step is skipped when already done, so a second run takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup-tt-metal: $*" >&2; }

# The first interpreter that really starts: pyenv shims exist for versions that are installed but not
# selected, and fail when run, so try each candidate.
find_python() {
  local candidates=("${TTPROBE_TT_METAL_PYTHON:-}" python3.12 python3.10)
  local root
  root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for v in 3.12 3.10; do
    for p in "$root"/versions/"$v".*/bin/python"$v"; do candidates+=("$p"); done
  done
  for p in "${candidates[@]}"; do
    [ -n "$p" ] || continue
    if "$p" -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 12), (3, 10)))' >/dev/null 2>&1; then
      command -v "$p" 2>/dev/null || echo "$p"
      return 0
    fi
  done
  return 1
}

# Requirements installed into a venv when the file changed since the last install.
install_reqs() {
  local venv=$1 reqs=$2 what=$3
  if cmp -s "$reqs" "$venv/.ttprobe-requirements" 2>/dev/null; then return 0; fi
  say "installing $reqs into $venv ($what)"
  local start=$SECONDS
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$reqs"
  cp "$reqs" "$venv/.ttprobe-requirements"
  say "$venv ready in $((SECONDS - start)) s"
}

# A Blackhole SFPI toolchain: $TTPROBE_SFPI, one kept in ttprobe's cache, a user's /opt/tenstorrent/sfpi
# (ttnn finds that one itself), or the one the TT-XLA plugin unpacks into the temp folder.
find_sfpi() {
  local cache=${TTPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ttprobe}
  local d
  for d in "${TTPROBE_SFPI:-}" "$cache"/sfpi/* "$cache"/*/runtime/sfpi "$cache"/*/*/runtime/sfpi /opt/tenstorrent/sfpi \
    "${TMPDIR:-/tmp}"/libtt-tt-metal-runtime-assets-*/runtime/sfpi /tmp/libtt-tt-metal-runtime-assets-*/runtime/sfpi; do
    if [ -n "$d" ] && [ -x "$d/compiler/bin/riscv-tt-elf-g++" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# The TT-XLA plugin rewrites its temp folder whenever it starts, and a compiler being rewritten while
# ttnn runs it fails ("posix_spawnp failed ... Text file busy", seen here): keep a copy in ttprobe's
# cache, one folder per SFPI release, and link that.
keep_sfpi() {
  local from=$1 cache=${TTPROBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ttprobe}
  case "$from" in */libtt-tt-metal-runtime-assets-*) ;; *) echo "$from"; return 0 ;; esac
  local version
  version=$("$from/compiler/bin/riscv-tt-elf-gcc" --version 2>/dev/null | sed -n 's/.*sfpi:\([0-9][0-9.]*\).*/\1/p' | head -1)
  local dest=$cache/sfpi/${version:-unknown}
  if [ ! -x "$dest/compiler/bin/riscv-tt-elf-g++" ]; then
    mkdir -p "$cache/sfpi"
    rm -rf "$dest.tmp.$$"
    cp -a "$from" "$dest.tmp.$$" && rm -rf "$dest" && mv "$dest.tmp.$$" "$dest"
  fi
  echo "$dest"
}

# On a fresh machine nothing has started the TT-XLA plugin yet, so nothing has unpacked its toolchain:
# start it once on the mock P150 (no device touched; about 7 s) in a folder of its own, and keep a copy.
unpack_plugin_sfpi() {
  [ -x .venv-tt-xla/bin/python ] || return 1
  local tmp d
  tmp=$(mktemp -d)
  # In that folder too: tt-metal writes generated/fabric/*.yaml where it runs when it opens a device.
  (cd "$tmp" && TMPDIR=$tmp TT_METAL_MOCK_CLUSTER_DESC_PATH=$OLDPWD/mock-systems/p150.yaml timeout 300 \
    "$OLDPWD/.venv-tt-xla/bin/python" -c 'import jax; jax.devices("tt")' > /dev/null 2>&1) || true
  for d in "$tmp"/libtt-tt-metal-runtime-assets-*/runtime/sfpi; do
    if [ -x "$d/compiler/bin/riscv-tt-elf-g++" ]; then
      keep_sfpi "$d"
      rm -rf "$tmp"
      return 0
    fi
  done
  rm -rf "$tmp"
  return 1
}

link_sfpi() {
  local ttnn_dir sfpi
  ttnn_dir=$(.venv-tt-metal/bin/python -c 'import importlib.util as u; print(u.find_spec("ttnn").submodule_search_locations[0])' 2>/dev/null) || return 0
  local target=$ttnn_dir/runtime/sfpi
  # A real folder there (a user's own install) stays; only our link is refreshed.
  if [ -e "$target" ] && [ ! -L "$target" ]; then say "kernel toolchain: $target (already there)"; return 0; fi
  if [ -d /opt/tenstorrent/sfpi ]; then say "kernel toolchain: /opt/tenstorrent/sfpi (ttnn finds it itself)"; return 0; fi
  if sfpi=$(find_sfpi) || sfpi=$(unpack_plugin_sfpi); then
    sfpi=$(keep_sfpi "$sfpi")
    ln -sfn "$sfpi" "$target"
    say "kernel toolchain: $target -> $sfpi"
  else
    [ -L "$target" ] && rm -f "$target"
    say "no SFPI kernel toolchain found (TTPROBE_SFPI, ttprobe's cache, /opt/tenstorrent/sfpi, the TT-XLA plugin's unpacked assets, nor by starting the plugin on the mock P150); ttnn stops at 'sfpi not found' on any device, mock included"
  fi
}

if python=$(find_python); then
  if [ ! -x .venv-tt-metal/bin/python ]; then
    say "creating .venv-tt-metal with $python ($("$python" -V 2>&1))"
    "$python" -m venv .venv-tt-metal
  fi
  install_reqs .venv-tt-metal requirements-tt-metal.txt "ttnn and torch; a few minutes the first time"
  link_sfpi
else
  say "skipped .venv-tt-metal: tt-metal's ttnn wheel needs Python 3.12 or 3.10 and neither starts here (set TTPROBE_TT_METAL_PYTHON to one)"
fi

# tt-smi runs on any Python 3.10+; the probe venv's base interpreter does.
smi_python=${PYTHON:-python3}
if [ ! -x .venv-tt-smi/bin/python ]; then
  say "creating .venv-tt-smi with $smi_python"
  "$smi_python" -m venv .venv-tt-smi
fi
install_reqs .venv-tt-smi requirements-tt-smi.txt "tt-smi, pyluwen, tt-tools-common"
