// What the scheduler may hand out on a node: the VM's CPU and memory minus a fixed reservation
// for the OS and k3s. k3s sets no kube-reserved or system-reserved by default, so the kubelet
// reports nearly the whole VM as allocatable and pods could starve the node itself. This model
// keeps back a fixed share per role, a choice in line with k3s's documented minimums (docs.k3s.io
// "Requirements": a server 2 cores / 2 GB, an agent 1 core / 512 MB): one core and 2 GiB on a
// server (with embedded etcd), half a core and 1 GiB on an agent. The check fails when the pods'
// requests exceed the rest. docs/boot-order.md states the same numbers.
const reservation = {
  /** k3s server: kube-apiserver, etcd, controller-manager, scheduler, plus the OS. */
  server: { cpuMillis: 1000, memoryMiB: 2048 },
  /** k3s agent: kubelet, containerd, the client load balancer, plus the OS. */
  agent: { cpuMillis: 500, memoryMiB: 1024 },
} as const;

const MiB = 1024 * 1024;

export function allocatable(server: boolean, cores: number, memoryGiB: number): { cpu: number; memory: number } {
  const r = server ? reservation.server : reservation.agent;
  return { cpu: Math.max(0, cores * 1000 - r.cpuMillis), memory: Math.max(0, memoryGiB * 1024 * MiB - r.memoryMiB * MiB) };
}

/** A Kubernetes quantity as millicores (cpu), bytes (memory) or units (anything else). */
export function quantity(resource: string, value: string | number): number {
  const text = String(value);
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(text);
  if (!match) return 0;
  const n = Number(match[1]);
  const unit = match[2];
  if (resource === "cpu") return unit === "m" ? n : n * 1000;
  const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const decimal: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3 };
  return n * (binary[unit] ?? decimal[unit] ?? 1);
}
