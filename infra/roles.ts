// Which VM roles are k3s workers: they run workloads and get the shared directories and the
// Longhorn disk.
import type { Vm } from "../cluster/schema";

export const workerRoles: ReadonlySet<Vm["role"]> = new Set(["worker", "vpn-worker", "gpu-worker"]);
