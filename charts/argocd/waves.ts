// Sync waves from declared dependencies, nothing numbered by hand. Argo CD starts a wave of the
// root Application only when every Application of the wave before is Healthy (the health check
// of charts/platform/argocd.ts), and waits as long as one is not; a sync succeeds without
// waiting only on its last wave (argo-cd@v3.4.4: gitops-engine/pkg/sync/sync_context.go
// #L688-L697). So every Application goes as late as what needs it allows: after everything it
// depends on, and in the last wave when nothing depends on it. A leaf (kured, metrics-server,
// the upgrade controller, external-dns…) then never holds back a wave it is not needed for, and
// a component gates only waves that hold something that needs it (the GPU plugin, Plex).

export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** Wave per name, from 0: as late as its dependents allow, the last wave when it has none. Throws on unknown names and cycles. */
export function syncWaves(nodes: readonly DependencyNode[]): Map<string, number> {
  const earliest = earliestWaves(nodes);
  const last = Math.max(0, ...earliest.values());
  const dependents = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  for (const node of nodes) for (const dep of node.dependsOn) dependents.get(dep)!.push(node.name);
  const waves = new Map<string, number>();
  const place = (name: string): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    const wave = dependents.get(name)!.reduce((latest, d) => Math.min(latest, place(d) - 1), last);
    waves.set(name, wave);
    return wave;
  };
  for (const node of nodes) place(node.name);
  return waves;
}

/** The earliest wave each node can take: one more than the latest of what it depends on. */
function earliestWaves(nodes: readonly DependencyNode[]): Map<string, number> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const waves = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, path: readonly string[]): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    const node = byName.get(name);
    if (!node) throw new Error(`${path.join(" → ")} depends on unknown component '${name}'`);
    if (visiting.has(name)) throw new Error(`dependency cycle: ${[...path, name].join(" → ")}`);
    visiting.add(name);
    const wave = node.dependsOn.reduce((latest, dep) => Math.max(latest, visit(dep, [...path, name]) + 1), 0);
    visiting.delete(name);
    waves.set(name, wave);
    return wave;
  };
  for (const node of nodes) visit(node.name, []);
  return waves;
}
