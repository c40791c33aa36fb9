// A lab as the commands that render it load it: the validated spec, its placeholders, and its
// sealed values from beside the spec (sealing/lab-secrets.ts).
import { loadSpec, type LoadedSpec } from "../../cluster/load";
import { SpecError, type Problem } from "../../cluster/problems";
import { withLines } from "../../cluster/spec-lines";
import { labSecrets, type LabSecrets } from "./sealing/lab-secrets";

export interface Lab extends LoadedSpec {
  readonly secrets: LabSecrets;
}

export function loadLab(specFile: string): Lab {
  const spec = loadSpec(specFile);
  const problemsAt = (problems: Problem[]) => new SpecError(spec.file, withLines(spec.text, problems));
  return { ...spec, secrets: labSecrets(spec.cluster, specFile, problemsAt) };
}
