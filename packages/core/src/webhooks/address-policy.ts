/**
 * Where webhooks may be sent (SPEC section 7). A webhook is a request the server makes on a
 * user's behalf, so by default it may not reach the server's own machine or network: loopback,
 * private, link-local, carrier-grade NAT, multicast and reserved addresses are refused, by
 * their text when the URL is added and again for every address a name resolves to when a
 * delivery connects. An administrator allows hosts by name (`CAIRN_WEBHOOK_ALLOW_HOSTS`,
 * "n8n.lan", "127.0.0.1:5678"): n8n on the same machine is a real use.
 */
export interface AddressPolicy {
  /** Hosts a webhook may reach whatever they resolve to: "name" (any port) or "name:port". */
  allowHosts: string[];
}

export const defaultAddressPolicy: AddressPolicy = { allowHosts: [] };

/** The policy from a comma-separated list of hosts (the server option and the CLI's admin commands). */
export function addressPolicyOf(list: string | undefined): AddressPolicy {
  return {
    allowHosts: (list ?? "")
      .split(",")
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  };
}

/** Whether the administrator allowed this host (and port) by name. */
export function hostAllowed(policy: AddressPolicy, host: string, port: string): boolean {
  const name = hostName(host);
  return policy.allowHosts.some((allowed) => allowed === name || allowed === `${name}:${port}`);
}

/** Whether the administrator allowed this host by name, on some port (a connection's lookup knows no port). */
export function hostAllowedOnAnyPort(policy: AddressPolicy, host: string): boolean {
  const name = hostName(host);
  return policy.allowHosts.some((allowed) => allowed === name || allowed.startsWith(`${name}:`));
}

/** The port a URL connects to (its default when it names none). */
export function portOf(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/**
 * Why this URL may not be a webhook target by its text alone (an internal address or a
 * name that always means this machine), or null. Names that resolve to internal addresses
 * are caught when a delivery connects (`refusedAddress`).
 */
export function refusedTarget(target: string | URL, policy: AddressPolicy): string | null {
  const url = typeof target === "string" ? new URL(target) : target;
  const host = hostName(url.hostname);
  if (hostAllowed(policy, host, portOf(url))) return null;
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is this machine`;
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  if (isIpLiteral(literal) && isInternalAddress(literal)) return `${literal} is an internal address`;
  return null;
}

/** Why a delivery may not connect to this resolved address, or null (the host was not allowed by name). */
export function refusedAddress(host: string, address: string): string | null {
  return isInternalAddress(address) ? `${host} resolves to an internal address (${address})` : null;
}

/** A host as names compare: lower case, without the root's trailing dot ("localhost." is localhost). */
function hostName(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

function isIpLiteral(text: string): boolean {
  return parseIpv4(text) !== null || parseIpv6(text) !== null;
}

/** Loopback, private, link-local, shared, multicast, reserved or unspecified (IPv4 or IPv6); unparsable text too. */
export function isInternalAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== null) return internalV4(v4);
  const v6 = parseIpv6(address);
  if (v6 === null) return true;
  return internalV6(v6);
}

const v4Ranges: [number, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
].map(([base, bits]) => [parseIpv4(base as string) as number, bits as number]);

function internalV4(address: number): boolean {
  return v4Ranges.some(([base, bits]) => bits === 0 || address >>> (32 - bits) === base >>> (32 - bits));
}

function internalV6(groups: number[]): boolean {
  const [first = 0, second = 0] = groups;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const embeddedV4 = (high: number, low: number) => (((groups[high] ?? 0) << 16) | (groups[low] ?? 0)) >>> 0;
  if (zeros(0, 8)) return true; // ::
  if (zeros(0, 7) && groups[7] === 1) return true; // ::1
  if (zeros(0, 5) && groups[5] === 0xffff) return internalV4(embeddedV4(6, 7)); // ::ffff:a.b.c.d
  if (zeros(0, 6)) return internalV4(embeddedV4(6, 7)); // ::a.b.c.d
  if (first === 0x64 && second === 0xff9b && zeros(2, 6)) return internalV4(embeddedV4(6, 7)); // NAT64
  if (first === 0x2002) return internalV4(embeddedV4(1, 2)); // 6to4
  if ((first & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return true; // link- and site-local
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (first === 0x2001 && second === 0x0db8) return true; // documentation
  return first === 0x0100 && zeros(1, 4); // discard 100::/64
}

/** A dotted-quad IPv4 address as a 32-bit number (URLs are already in this canonical form), or null. */
function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value >>> 0;
}

/** An IPv6 address as eight 16-bit groups (an embedded dotted quad taken too), or null. */
function parseIpv6(text: string): number[] | null {
  let address = text.split("%")[0] ?? "";
  if (!address.includes(":")) return null;
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (dotted) {
    const v4 = parseIpv4(dotted[1] ?? "");
    if (v4 === null) return null;
    address = `${address.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (half: string | undefined) => (half ? half.split(":") : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => "0"), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null;
  return all.map((group) => Number.parseInt(group, 16));
}
