// Entry point for the cdktf CLI (`cdktf synth`, via cdktf.json). It writes the same stack
// as `npm run synth` into the directory the CLI chooses (CDKTF_OUTDIR, cdktf.out/).
import { resolve } from "node:path";
import { loadCluster } from "../cluster/load";
import { synthTerraform } from "../infra/terraform-app";

const root = resolve(__dirname, "..");
const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
synthTerraform(loadCluster(process.env.HOMELAB_CLUSTER ?? resolve(root, "cluster/homelab.yaml")), { outdir, finalOutdir: outdir, root });
