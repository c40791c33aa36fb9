// Credentials of every format secretlint's recommended preset knows, built at run time from a
// fixed seed (so no token-shaped literal sits in the repository), and look-alikes that are none.
import { generateKeyPairSync } from "node:crypto";

/** Random-looking text from a fixed seed. */
export function randomText(alphabet: string, length: number, seed: number): string {
  let state = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += alphabet[Math.floor((state / 2147483648) * alphabet.length)];
  }
  return out;
}

export const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const hex = "0123456789abcdef";
export const base64Alphabet = `${alnum}+/`;

const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });

/** An OpenSSH private key as ssh-keygen frames it (its magic, then key bytes; these from a real RSA key). */
const opensshPrivateKey = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  ...Buffer.concat([Buffer.from("openssh-key-v1\0"), rsa.privateKey.export({ type: "pkcs8", format: "der" })])
    .toString("base64")
    .match(/.{1,70}/g)!,
  "-----END OPENSSH PRIVATE KEY-----",
  "",
].join("\n");

/** One sample per format: [what, the secret, the preset rule expected to report it]. */
export const knownFormatSamples: readonly (readonly [string, string, string])[] = [
  ["a GitHub token", `ghp_${randomText(alnum, 36, 11)}`, "github"],
  ["a fine-grained GitHub token", `github_pat_${randomText(alnum, 82, 12)}`, "github"],
  ["a Slack bot token", `xoxb-${randomText("0123456789", 12, 3)}-${randomText("0123456789", 13, 5)}-${randomText(alnum, 24, 9)}`, "slack"],
  [
    "a Slack webhook",
    `https://hooks.slack.com/services/T${randomText(upperAlnum, 8, 4)}/B${randomText(upperAlnum, 8, 6)}/${randomText(alnum, 24, 8)}`,
    "slack",
  ],
  ["an AWS secret access key", `aws_secret_access_key = ${randomText(alnum, 40, 13)}`, "aws"],
  ["a PEM private key", rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString(), "privatekey"],
  ["an OpenSSH private key", opensshPrivateKey, "privatekey"],
  ["an npm token", `npm_${randomText(alnum, 36, 15)}`, "npm"],
  ["an OpenAI key", `sk-${randomText(alnum, 20, 16)}T3BlbkFJ${randomText(alnum, 20, 17)}`, "openai"],
  ["an Anthropic key", `sk-ant-api03-${randomText(alnum, 93, 18)}AA`, "anthropic"],
  ["a Linear key", `lin_api_${randomText(alnum, 40, 19)}`, "linear"],
  ["a SendGrid key", `SG.${randomText(alnum, 22, 20)}.${randomText(alnum, 43, 21)}`, "sendgrid"],
  ["a Shopify token", `shpat_${randomText(hex, 32, 22)}`, "shopify"],
  ["basic auth in a URL", `https://admin:${randomText(alnum, 12, 23)}@grafana.example.com`, "basicauth"],
  ["a PostgreSQL URL with a password", `postgres://app:${randomText(alnum, 14, 24)}@db.example.com:5432/app`, "database-connection-string"],
  ["a MongoDB URL with a password", `mongodb+srv://app:${randomText(alnum, 14, 25)}@cluster0.example.net/app`, "database-connection-string"],
];
