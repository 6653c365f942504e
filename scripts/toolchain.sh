#!/usr/bin/env bash
# Puts Node >= 22 and pnpm on PATH for this repo only. Like a Gradle wrapper: when the machine's
# node is older, Node 24 and pnpm are installed from the npm registry into .toolchain/ (never
# touching the machine's global node). Source this file; it exports PATH.
# Sourced: leaves the caller's shell options alone.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain_dir="$repo_root/.toolchain"
node_version="24.21.0"
pnpm_version="10.34.8"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$toolchain_dir/node_modules/.bin/node" ]; then
  export PATH="$toolchain_dir/node_modules/.bin:$PATH"
elif [ "$(node_major)" -lt 22 ] || ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null | cut -d. -f1)" != "${pnpm_version%%.*}" ]; then
  echo "toolchain: installing node@$node_version and pnpm@$pnpm_version into .toolchain/" >&2
  mkdir -p "$toolchain_dir"
  npm install --prefix "$toolchain_dir" --no-save --no-audit --no-fund --loglevel=error \
    "node@$node_version" "pnpm@$pnpm_version" >&2
  export PATH="$toolchain_dir/node_modules/.bin:$PATH"
fi

if [ "$(node_major)" -lt 22 ]; then
  echo "toolchain: node $(node -v) is too old after provisioning; expected >= 22" >&2
  exit 1
fi
