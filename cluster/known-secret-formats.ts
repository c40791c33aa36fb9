// Known secret formats (cloud keys, GitHub, Slack, npm, OpenAI, private keys, credentials in
// URLs…), as secretlint's recommended preset recognizes them: its rules, run synchronously on a
// text through the rule API the preset's rules are written against (@secretlint/types
// SecretLintRuleCreator: create(context) → file(source), context.report). The spec check runs it
// on every string of the spec, `npm run check`, publish and the pre-commit hook on every file
// they pass on: one scan, one verdict.
//
// Loading the preset costs ~60 ms, more than validating a whole spec, so a cheap prefilter comes
// first: a text none of the preset's patterns could match never loads it. The prefilter names
// what each rule's pattern cannot do without (the rule's own regex, or the literal it starts
// with); test/secret-detection.test.ts shows every rule's finding passes it.
import type { SecretLintRuleCreator, SecretLintRuleContext, SecretLintSourceCode } from "@secretlint/types";

/**
 * What a text must contain for a rule of the preset (@secretlint/secretlint-rule-preset-recommend 11.7.1,
 * module/index-*.js) to report: the AWS secret key's name (the scans of access key and account
 * ids are off unless `enableIDScanRule` is set), npm (`npm_`, `_authToken`,
 * `x-oauth-basic`), Slack tokens and webhooks, credentials in a URL (basic auth, MongoDB,
 * MySQL, PostgreSQL: `scheme://user:password@`), OpenAI (`T3BlbkFJ`), Anthropic, Linear,
 * private keys (PEM and GCP's JSON), SendGrid, Shopify, GitHub, 1Password.
 */
const mayMatch =
  /npm_|_authToken|x-oauth-basic|xox[bpaor]-|xapp-|:\/\/[^\s/]*@|T3BlbkFJ|sk-ant-|lin_api_|PRIVATE KEY|SG\.\w|shp(?:pa|ca|at|ss)_|gh[pousr]_|github_pat_|ops_ey/;
/** The preset matches these without regard to case. */
const mayMatchAnyCase = /secret_?access_?key|hooks\.slack\.com/i;

/** Whether a text could hold a format the preset knows (false: it certainly does not). */
export function mayHoldKnownSecret(text: string): boolean {
  return mayMatch.test(text) || mayMatchAnyCase.test(text);
}

export interface KnownSecret {
  /** The rule's id without its `@secretlint/secretlint-rule-` prefix (github, slack…). */
  readonly rule: string;
  /** What it found (GITHUB_TOKEN, SlackIncomingWebhook…): never the value. */
  readonly messageId: string;
  /** Where in the text it starts and ends. */
  readonly offset: number;
  readonly end: number;
}

let presetRules: readonly SecretLintRuleCreator[] | undefined;

/** The preset's scanner rules, loaded on first use. */
function scanners(): readonly SecretLintRuleCreator[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for a candidate text (see above)
  presetRules ??= (require("@secretlint/secretlint-rule-preset-recommend") as { rules: SecretLintRuleCreator[] }).rules.filter(
    (rule) => rule.meta.type === "scanner" && rule.meta.supportedContentTypes.some((type) => type === "text" || type === "all"),
  );
  return presetRules;
}

/**
 * The known formats in a text, by position. `fileName` lets the rules that look at the kind of
 * file (package.json, .npmrc, a GCP key's .json) do so. Comments that would silence secretlint
 * (`secretlint-disable`) are not honoured: a spec value must not switch the scan off.
 */
export function knownSecrets(text: string, fileName = "value.txt"): KnownSecret[] {
  if (!mayHoldKnownSecret(text)) return [];
  const found: KnownSecret[] = [];
  const source = sourceOf(text, fileName);
  for (const rule of scanners()) {
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      // Messages are rebuilt from their ids: the rules' own texts quote the value.
      createTranslator: () => ((messageId: string, data?: unknown) => ({ message: messageId, messageId, data })) as never,
      report: ({ message, range }) =>
        found.push({ rule: rule.meta.id.replace(/^@secretlint\/secretlint-rule-/, ""), messageId: message.messageId, offset: range[0], end: range[1] }),
      ignore: () => undefined,
    };
    // Every scanner of the preset reports synchronously for text (only the .p12 check is async).
    void rule.create(context, {}).file?.(source);
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.offset - b.offset)
    .filter((f) => {
      const key = `${f.rule}:${f.messageId}:${f.offset}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
}

function sourceOf(content: string, fileName: string): SecretLintSourceCode {
  const dot = fileName.lastIndexOf(".");
  const unsupported = (): never => {
    throw new Error("not needed by the preset's scanners");
  };
  return {
    hasBOM: false,
    content,
    filePath: fileName,
    physicalFilePath: undefined,
    contentType: "text",
    ext: dot >= 0 ? fileName.slice(dot) : "",
    getFilePath: () => fileName,
    getPhysicalFilePath: () => undefined,
    // Used by the preset's comment filter only, which this scan leaves out.
    locationToRange: unsupported,
    rangeToLocation: unsupported,
    positionToIndex: unsupported,
    indexToPosition: unsupported,
  };
}
