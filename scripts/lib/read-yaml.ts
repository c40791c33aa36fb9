// Reading our own output: js-yaml, several times faster than `yaml`'s document API on a large
// lab. What synth writes reads the same under YAML 1.1 and 1.2 (test/bootstrap.test.ts), and the
// same as `yaml` reads it.
import { CORE_SCHEMA, load, loadAll } from "js-yaml";

export const readYaml = (text: string): any => load(text, { schema: CORE_SCHEMA });
export const readYamlDocuments = (text: string): any[] => loadAll(text, undefined, { schema: CORE_SCHEMA }).filter((d) => d !== null && d !== undefined);
