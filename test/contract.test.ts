// The contract's taint helpers: the text k3s and Longhorn read, and the tolerations charts write.
import { parseTaint, taintText, taints, toleration } from "../cluster/contract";

it("writes and reads a taint as key=value:Effect, and key:Effect without a value", () => {
  expect(taintText(taints.gpu)).toBe("nvidia.com/gpu=true:NoSchedule");
  expect(parseTaint("nvidia.com/gpu=true:NoSchedule")).toEqual({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" });
  expect(parseTaint("CriticalAddonsOnly:NoExecute")).toEqual({ key: "CriticalAddonsOnly", value: undefined, effect: "NoExecute" });
  expect(taintText(parseTaint("CriticalAddonsOnly:NoExecute"))).toBe("CriticalAddonsOnly:NoExecute");
});

it("tolerates a taint by key and effect (Exists) or by its value too (Equal)", () => {
  expect(toleration(taints.vpn, "Exists")).toEqual({ key: "homelab.dev/vpn", operator: "Exists", effect: "NoSchedule" });
  expect(toleration(taints.vpn, "Equal")).toEqual({ key: "homelab.dev/vpn", operator: "Equal", value: "true", effect: "NoSchedule" });
});
