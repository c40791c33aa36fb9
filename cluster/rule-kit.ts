// What every cross-field rule file shares: how a rule reports a problem, and the check for
// values that must be unique within a list.
import type { SpecPath } from "./problems";

/** Records one problem at a spec path, with the fix to suggest. */
export type Report = (path: SpecPath, message: string, fix?: string) => void;

/** Reports every later occurrence of a value already seen. */
export function unique<T>(items: readonly T[], key: (item: T) => string | number | undefined, onDuplicate: (index: number, first: number) => void) {
  const seen = new Map<string | number, number>();
  items.forEach((item, index) => {
    const k = key(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else onDuplicate(index, first);
  });
}
