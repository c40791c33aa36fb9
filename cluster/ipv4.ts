// Small IPv4 arithmetic for the spec rules: addresses as unsigned 32-bit integers.

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export interface Subnet {
  readonly network: number;
  readonly broadcast: number;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Subnet {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipToInt(ip) / size) * size;
  return { network, broadcast: network + size - 1, prefix };
}

/** True if ip is a usable host address of the subnet (not network or broadcast). */
export function isHostIn(ip: string, subnet: Subnet): boolean {
  const n = ipToInt(ip);
  if (subnet.prefix >= 31) return n >= subnet.network && n <= subnet.broadcast;
  return n > subnet.network && n < subnet.broadcast;
}

export function inRange(ip: string, start: string, stop: string): boolean {
  const n = ipToInt(ip);
  return n >= ipToInt(start) && n <= ipToInt(stop);
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}
