// Sync waves from declared dependencies: a component's wave is one more than the latest
// wave among what it depends on, so nothing is numbered by hand and an added dependency
// moves everything after it.

export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** Wave per name, starting at `first`. Throws on unknown names and cycles. */
export function syncWaves(nodes: readonly DependencyNode[], first = 0): Map<string, number> {
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
    const wave = node.dependsOn.reduce((latest, dep) => Math.max(latest, visit(dep, [...path, name]) + 1), first);
    visiting.delete(name);
    waves.set(name, wave);
    return wave;
  };
  for (const node of nodes) visit(node.name, []);
  return waves;
}
