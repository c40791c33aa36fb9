// `npm run seal -- <owner>[,<owner>…] <NAME>`: seals one value from stdin into cluster/sealed/
// (scripts/lib/sealing/seal-cli.ts).
import { resolve } from "node:path";
import { sealCli } from "./lib/sealing/seal-cli";

sealCli(process.argv.slice(2), resolve(__dirname, ".."), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
