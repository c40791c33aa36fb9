// One change in a diff of two outputs, and the keyed comparison the file, manifest and Terraform
// diffs (and synth's summary) share: which names were added, removed or changed, in sorted order.
import type { PatchSide } from "./unified-patch";

export type ChangeKind = "added" | "removed" | "changed";

export interface Change {
  readonly kind: ChangeKind;
  /** What changed: an object, a Terraform resource address, a file. */
  readonly name: string;
  /** Unified diff (may be empty when `note` says it all). */
  readonly patch: string;
  /** One line said instead of, or besides, the patch. */
  readonly note?: string;
}

/** Added when there was nothing before, removed when there is nothing after, else changed. */
export const changeKind = (before: unknown, after: unknown): ChangeKind => (before === undefined ? "added" : after === undefined ? "removed" : "changed");

export interface KeyedChange<T> {
  readonly kind: ChangeKind;
  readonly name: string;
  readonly was: T | undefined;
  readonly now: T | undefined;
}

/** The names in either map whose entries differ (on one side only, or not `same`), sorted, with both entries. */
export function keyedChanges<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>, same: (was: T, now: T) => boolean): KeyedChange<T>[] {
  return [...new Set([...before.keys(), ...after.keys()])].sort().flatMap((name) => {
    const [was, now] = [before.get(name), after.get(name)];
    return was !== undefined && now !== undefined && same(was, now) ? [] : [{ kind: changeKind(was, now), name, was, now }];
  });
}

/** One side of a patch: `text` (a whole file or a part of it) in `file`, which may not exist on this side. */
export const patchSide = (file: string, fileExists: boolean, text: string | undefined, firstLine?: number): PatchSide => ({
  file: fileExists ? file : undefined,
  text: text ?? "",
  firstLine,
});
