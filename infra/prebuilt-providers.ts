// hashicorp/random (the k3s tokens) and hashicorp/tls (the sealing key) come as prebuilt CDKTF
// bindings, @cdktf/provider-random and @cdktf/provider-tls, each generated from one provider
// release (the last ones, cdktf being final). The stacks require exactly that release; cdktf.json
// pins the same (for Renovate and `cdktf get`), and `npm run import` derives the schemas in
// imports/ from the same packages and refuses when the three disagree.
export const prebuiltProviderVersions = { random: "3.7.2", tls: "4.1.0" } as const;
