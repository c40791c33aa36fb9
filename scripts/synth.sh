#!/bin/sh
# `npm run synth`: starts synth from a V8 startup snapshot of the whole program, already loaded
# and warmed up, which roughly halves its time (docs/performance.md). The snapshot lives in
# .build/, one per Node version, is built on first use and rebuilt when a source file or the
# installed packages change. HOMELAB_PLAIN=1 (lib/plain-mode.ts), or any NODE_OPTIONS (V8 flags
# must match the snapshot's), runs synth the plain way.
set -u
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
plain() {
  exec node "$root/scripts/run.cjs" scripts/synth.ts "$@"
}
if [ "${HOMELAB_PLAIN:-}" = 1 ] || [ -n "${NODE_OPTIONS:-}" ]; then
  plain "$@"
fi
blob="$root/.build/synth-$(node --version).snapshot.blob"
if [ ! -f "$blob" ] && ! node "$root/scripts/snapshot.cjs" scripts/synth.ts "$blob"; then
  echo "synth: running without the startup snapshot" >&2
  plain "$@"
fi
exec node --snapshot-blob "$blob" -- "$@"
