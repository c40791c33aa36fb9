// What `npm run check` reports: where (file and object), which rule, what is wrong, the fix.
export interface Finding {
  readonly file: string;
  /** kind/namespace/name, a Terraform address, or "" for the whole file. */
  readonly object: string;
  readonly rule: string;
  readonly message: string;
  readonly fix: string;
}

export interface Exemption {
  readonly rule: string;
  readonly object: string;
  readonly reason: string;
  /** Where it is declared: a spec path. */
  readonly declaredAt: string;
}

export function formatFinding(f: Finding): string {
  return `${f.file}${f.object ? ` ${f.object}` : ""}: [${f.rule}] ${f.message}. Fix: ${f.fix}`;
}

/** Drops the findings an exemption of the spec covers (the object itself, or a part of it), and says which exemptions were used. */
export function applyExemptions(all: readonly Finding[], exemptions: readonly Exemption[]): { findings: Finding[]; used: Set<Exemption> } {
  const used = new Set<Exemption>();
  const findings = all.filter((f) => {
    const exemption = exemptions.find(
      (e) => e.rule === f.rule && (f.object === e.object || f.object.startsWith(`${e.object}#`) || f.object.startsWith(`${e.object} `)),
    );
    if (exemption) used.add(exemption);
    return !exemption;
  });
  return { findings, used };
}
