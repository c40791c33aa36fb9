// `npm run synth [-- --cluster <file>] [-- --out <dir>]`: validates the spec and writes
// Terraform JSON, Kubernetes manifests and the Ansible inventory, atomically. scripts/synth.sh
// runs it from a warm startup snapshot; `node scripts/run.cjs scripts/synth.ts` runs it plainly.
import { resolve } from "node:path";
import { startEntry } from "./lib/startup-snapshot";
import { synthCli, warmUpSynth } from "./lib/synth-cli";

startEntry({ main: synthCli, warmUp: warmUpSynth }, resolve(__dirname, ".."));
