#!/bin/sh
# `sh scripts/run-snapshot.sh <entry.ts> [args…]`: runs an entry point from a V8 startup snapshot
# of the whole program, already loaded and warmed up (scripts/lib/startup-snapshot.ts).
# `npm run synth` (scripts/synth.sh) runs this way, and so does `npm run publish`: its staleness
# check is a synth, which a cold process pays twice for. The snapshot lives in .build/, one per
# entry and Node version, is built on first use and rebuilt when a source file or the installed
# packages change. HOMELAB_PLAIN=1 (lib/plain-mode.ts), or any NODE_OPTIONS, runs the entry the
# plain way.
set -u
root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
entry=$1
shift
name=$(basename "$entry" .ts)
plain() {
  exec node "$root/scripts/run.cjs" "$entry" "$@"
}
if [ "${HOMELAB_PLAIN:-}" = 1 ] || [ -n "${NODE_OPTIONS:-}" ]; then
  plain "$@"
fi
blob="$root/.build/$name-$(node --version).snapshot.blob"
if [ ! -f "$blob" ] && ! node "$root/scripts/snapshot.cjs" "$entry" "$blob"; then
  echo "$name: running without the startup snapshot" >&2
  plain "$@"
fi
exec node --snapshot-blob "$blob" -- "$@"
