// Sync waves from declared dependencies, nothing numbered by hand. Argo CD starts a wave of the
// root Application only when every Application of the wave before is Healthy (the health check
// of charts/platform/argocd.ts), and waits as long as one is not; a sync succeeds without
// waiting only on its last wave (argo-cd@v3.4.4: gitops-engine/pkg/sync/sync_context.go
// #L525-L581, #L688-L697). So every Application goes as late as what needs it allows: after
// everything it depends on, and in the last wave when nothing depends on it. A leaf (kured,
// metrics-server, the upgrade controller, external-dns, the GPU plugins…) then never holds back a
// wave, and a component gates only waves that hold something that cannot be applied without it.
// "Needs" means applied first: a GPU app depends on no plugin, since its pod waits Pending until
// the plugin advertises the GPU (charts/argocd/app-directories.ts).

export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/**
 * The last wave's number, whatever the depth of the dependencies. A sync prunes an object in the
 * wave its live copy was annotated with (reversed among the prune waves, sync_context.go
 * #L1076-L1105): had the last wave been 3 and a later spec's 2, an Application removed from wave
 * 3 would be pruned in a wave after the new last one, and Argo CD would wait on the last wave
 * before it. A fixed number keeps every prune at or before the last wave. Never lower it.
 */
export const lastWave = 10;

/** Wave per name: from 0 as late as its dependents allow, lastWave when it has none. Throws on unknown names, cycles and a chain deeper than lastWave. */
export function syncWaves(nodes: readonly DependencyNode[]): Map<string, number> {
  const earliest = earliestWaves(nodes);
  const last = Math.max(0, ...earliest.values());
  if (last >= lastWave)
    throw new Error(`a dependency chain of ${last + 1} waves does not fit before the last wave (${lastWave}): raise lastWave in charts/argocd/waves.ts`);
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
  return new Map([...waves].map(([name, wave]) => [name, wave === last ? lastWave : wave]));
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
