// Finds the upstream facts (charts/platform/*.ts) of a chart or git source the output installs,
// and says so when they were read at another version than the one installed.
import { upstreamFacts } from "../../../../charts/platform";
import type { GitSourceView, Values } from "../../../../charts/platform/upstream-facts";
import type { SourcedFacts } from "./model";

export interface FactsProblem {
  readonly file: string;
  readonly object: string;
  readonly message: string;
  readonly fix: string;
}

/** The upstream name of a git repository URL: owner/name. */
export function repoName(url: string): string {
  return url.replace(/^https:\/\/github\.com\//, "").replace(/\.git$/, "");
}

export function factsForChart(
  upstream: string,
  version: string,
  values: Values,
  namespace: string,
  gitSources: readonly GitSourceView[],
  where: { readonly object: string; readonly label: string },
  file: string,
  problems: FactsProblem[],
): SourcedFacts | undefined {
  const facts = upstreamFacts.get(upstream);
  if (!facts) {
    problems.push({
      file,
      object: where.object,
      message: `${where.label} installs ${upstream} ${version}, which has no upstream facts`,
      fix: "declare its facts (namespaces, objects, placement) next to its values in charts/platform/",
    });
    return undefined;
  }
  if (facts.confirmedAt !== version) {
    problems.push({
      file,
      object: where.object,
      message: `${where.label} installs ${upstream} ${version}, but its facts were read at ${facts.confirmedAt}`,
      fix: `re-read the facts in charts/platform/ at ${version} and set confirmedAt`,
    });
  }
  const paths = gitSources.map((s) => s.path + (s.include ? `/${s.include}` : "")).join(", ");
  return {
    origin: `${gitSources.length ? upstream : `chart ${upstream}`} ${version}${paths ? ` ${paths}` : ""}`,
    facts: facts.of(values, { namespace, gitSources }),
  };
}
