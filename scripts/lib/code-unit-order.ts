// The one string order for everything we generate or report: by UTF-16 code unit, as a bare
// `.sort()` orders. Not localeCompare, whose order depends on the machine's ICU locale (and
// whose first call costs ~15 ms to start ICU's collator).
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
