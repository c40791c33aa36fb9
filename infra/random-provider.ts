// hashicorp/random, for the k3s join token. The prebuilt @cdktf/provider-random bindings only
// constrain "~> 3.1"; the stack pins the release they were generated from, which is also the
// release whose schema imports/hashicorp-random.schema.json holds (test/imports.test.ts).
export const randomProviderVersion = "3.7.2";
