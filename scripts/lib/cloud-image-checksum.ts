// Re-pins template.image.checksum of a spec to the checksum its image's publisher lists for the
// URL the spec names (SHA256SUMS or SHA512SUMS beside the image, as Ubuntu publishes them). Run
// after Renovate moved the URL to a newer dated build (renovate.json postUpgradeTasks), or by
// hand: `npm run pin-image -- cluster/homelab.yaml`. Only the checksum value in the text changes.
import { Refusal } from "./command-errors";
import { parseDocument, isScalar } from "yaml";

export type FetchText = (url: string) => Promise<string>;

export type PinResult = { readonly status: "no-image" } | { readonly status: "pinned" | "unchanged"; readonly text: string; readonly checksum: string };

export async function pinImageChecksum(specText: string, fetchText: FetchText): Promise<PinResult> {
  const doc = parseDocument(specText);
  if (doc.getIn(["template", "source"]) !== "cloud-image") return { status: "no-image" };
  const url = String(doc.getIn(["template", "image", "url"]));
  const algorithm = String(doc.getIn(["template", "image", "checksum", "algorithm"]));
  const node = doc.getIn(["template", "image", "checksum", "value"], true);
  if (!isScalar(node) || !node.range)
    throw new Refusal("template.image.checksum.value: not found in the spec; give template.image.checksum a value to replace");
  const sumsUrl = `${url.slice(0, url.lastIndexOf("/"))}/${algorithm.toUpperCase()}SUMS`;
  const file = url.slice(url.lastIndexOf("/") + 1);
  const checksum = checksumOf(await fetchText(sumsUrl), file);
  if (!checksum) throw new Refusal(`${sumsUrl} lists no checksum for ${file}; check template.image.url against the build's file names`);
  if (node.value === checksum) return { status: "unchanged", text: specText, checksum };
  const [start, end] = node.range;
  const quote = specText[start] === '"' || specText[start] === "'" ? specText[start] : "";
  return { status: "pinned", text: `${specText.slice(0, start)}${quote}${checksum}${quote}${specText.slice(end)}`, checksum };
}

/** The checksum of one file in a SHA256SUMS-style list: "<hex> *<name>" or "<hex>  <name>". */
function checksumOf(sums: string, file: string): string | undefined {
  for (const line of sums.split("\n")) {
    const match = line.trim().match(/^([0-9a-f]{64}|[0-9a-f]{128}) [ *](.+)$/);
    if (match && match[2] === file) return match[1];
  }
  return undefined;
}
