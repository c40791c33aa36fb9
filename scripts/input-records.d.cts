// Types of input-records.cjs for the TypeScript that imports it (scripts/lib/startup-snapshot.ts).
export interface InputRecord {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** null: not known to match the build. */
  readonly sha256: string | null;
}
export function fileClockNow(dir: string): number;
export function recordInputs(root: string, inputs: readonly string[], startedCtimeMs: number): InputRecord[];
export function firstChangedInput(root: string, records: readonly InputRecord[]): string | undefined;
