// The one switch for synth's speed shortcuts. Each shortcut stays only because `npm run bench`
// shows it pays on the reference lab (docs/performance.md has the measurements); each does what a
// library does, faster, and must give the same bytes. HOMELAB_PLAIN=1 runs the stock libraries
// instead — no startup snapshot, js-yaml's own dump, cdktf's own stack synthesis, stack traces
// on, a fresh output directory every time — and test/plain-mode.test.ts compares the two.
export function plainMode(): boolean {
  return process.env.HOMELAB_PLAIN === "1";
}
