#!/bin/sh
# `npm run synth`: starts synth from a V8 startup snapshot of the whole program, already loaded
# and warmed up, which roughly halves its time (docs/performance.md); scripts/run-snapshot.sh
# does it, with synth as the entry. HOMELAB_PLAIN=1 (lib/plain-mode.ts), or any NODE_OPTIONS
# (V8 flags must match the snapshot's), runs synth the plain way.
exec sh "$(dirname -- "$0")/run-snapshot.sh" scripts/synth.ts "$@"
