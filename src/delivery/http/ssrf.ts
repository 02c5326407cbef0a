import dns from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

/**
 * SSRF guard for outbound deliveries: decides which IP addresses a webhook may reach and enforces
 * that decision inside the HTTP connector, on the exact addresses the socket connects to.
 */

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

export interface SsrfPolicy {
  /** Allow every destination, private or not (local development, trusted networks). */
  allowPrivateNetworks: boolean;
  /** Ranges that are allowed even though they are otherwise denied, e.g. `10.1.0.0/16`, `fd00::/8`. */
  allowedCidrs: readonly string[];
}

export interface CompiledSsrfPolicy {
  readonly allowPrivateNetworks: boolean;
  readonly allowedRanges: readonly Cidr[];
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const DESTINATION_DENIED_CODE = 'EDESTINATIONDENIED';
const DESTINATION_DENIED_MESSAGE = 'destination not allowed';

/** Raised by the guarded lookup and connector; `reason` is for logs, the message stays fixed. */
export class DestinationDeniedError extends Error {
  readonly code = DESTINATION_DENIED_CODE;

  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(DESTINATION_DENIED_MESSAGE);
    this.name = 'DestinationDeniedError';
  }
}

const ALLOWED: AddressVerdict = { allowed: true };

/** Parses `allowedCidrs` once; throws on an entry that is not a CIDR. */
export function compileSsrfPolicy(policy: SsrfPolicy): CompiledSsrfPolicy {
  return {
    allowPrivateNetworks: policy.allowPrivateNetworks,
    allowedRanges: policy.allowedCidrs.map(parseStrictCidr),
  };
}

// ipaddr.js reads `010.0.0.0` as octal (8.0.0.0); an operator writing it means 10.0.0.0, so only
// canonical addresses are accepted rather than silently allowing the wrong range.
function parseStrictCidr(cidr: string): Cidr {
  const address = cidr.slice(0, cidr.indexOf('/'));
  if (!isIP(address) || !ipaddr.isValidCIDR(cidr)) throw new Error(`invalid CIDR in allowedCidrs: ${cidr}`);
  return ipaddr.parseCIDR(cidr);
}

function compiled(policy: SsrfPolicy | CompiledSsrfPolicy): CompiledSsrfPolicy {
  return 'allowedRanges' in policy ? policy : compileSsrfPolicy(policy);
}

/** IPv6 spellings that carry an IPv4 destination; the embedded address is what gets reached. */
const EMBEDDED_IPV4_FORMATS: ReadonlyArray<{ name: string; range: Cidr; hiPart: number }> = [
  { name: 'IPv4-mapped', range: ipaddr.parseCIDR('::ffff:0:0/96'), hiPart: 6 },
  { name: 'IPv4-compatible', range: ipaddr.parseCIDR('::/96'), hiPart: 6 },
  { name: 'NAT64', range: ipaddr.parseCIDR('64:ff9b::/96'), hiPart: 6 },
  { name: 'NAT64 local-use', range: ipaddr.parseCIDR('64:ff9b:1::/48'), hiPart: 6 },
  { name: '6to4', range: ipaddr.parseCIDR('2002::/16'), hiPart: 1 },
];

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

function embeddedIPv4(address: ipaddr.IPv6): { format: string; ipv4: ipaddr.IPv4 } | null {
  const { parts } = address;
  // `::` and `::1` are unspecified/loopback, not IPv4-compatible addresses (RFC 4291 2.5.5.1).
  if (parts.slice(0, 7).every((part) => part === 0) && parts[7] <= 1) return null;
  const format = EMBEDDED_IPV4_FORMATS.find(({ range }) => address.match(range));
  if (!format) return null;
  const hi = parts[format.hiPart];
  const lo = parts[format.hiPart + 1];
  return { format: format.name, ipv4: new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]) };
}

/** The name of the special-purpose range holding the address, or null for public unicast. */
function specialRange(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  const range = address.range();
  if (range !== 'unicast') return range;
  // ipaddr.js calls anything it has no name for "unicast"; in IPv6 only 2000::/3 is routable.
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return 'outside global unicast 2000::/3';
  return null;
}

function inAllowedRanges(address: ipaddr.IPv4 | ipaddr.IPv6, policy: CompiledSsrfPolicy): boolean {
  return policy.allowedRanges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

// ipaddr.js reads `::a.b.c.d` as IPv4-mapped (::ffff:a.b.c.d) rather than IPv4-compatible; the
// WHATWG serialiser rewrites IPv6 in plain hex, which ipaddr.js parses faithfully. The zone id
// (`%eth0`) does not change which range an address is in.
function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (isIP(ip) === 4) return ipaddr.IPv4.parse(ip);
  const [withoutZone] = ip.split('%');
  return ipaddr.IPv6.parse(new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1));
}

/** Judges one address as the socket would see it (canonical IPv4 dotted quad or IPv6). */
export function classifyAddress(ip: string, policy: SsrfPolicy | CompiledSsrfPolicy): AddressVerdict {
  if (!isIP(ip)) return { allowed: false, reason: `not an IP address (${ip})` };
  const rules = compiled(policy);
  if (rules.allowPrivateNetworks) return ALLOWED;
  const address = parseAddress(ip);
  const embedded = address.kind() === 'ipv6' ? embeddedIPv4(address as ipaddr.IPv6) : null;
  if (inAllowedRanges(address, rules) || (embedded && inAllowedRanges(embedded.ipv4, rules))) return ALLOWED;
  if (embedded) {
    const range = specialRange(embedded.ipv4);
    return range ? { allowed: false, reason: `${range} (${embedded.ipv4} embedded in ${embedded.format} ${ip})` } : ALLOWED;
  }
  const range = specialRange(address);
  return range ? { allowed: false, reason: `${range} (${ip})` } : ALLOWED;
}

/**
 * Registration-time check of a URL whose host is an IP literal, in whichever spelling the WHATWG
 * parser normalises (`2130706433`, `0x7f.1`, `127.1`, `[::ffff:127.0.0.1]`). Host names pass here:
 * they are judged by the guarded lookup when they resolve.
 */
export function checkUrlLiteral(url: string, policy: SsrfPolicy | CompiledSsrfPolicy): AddressVerdict {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return { allowed: false, reason: 'invalid URL' };
  }
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(host) ? classifyAddress(host, policy) : ALLOWED;
}

/** Resolves a host name to every address, in `dns.lookup(…, { all: true })`'s shape. */
export type AddressResolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemResolver: AddressResolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for `net.connect`/`tls.connect` that resolves every address and refuses the
 * connection if any of them is denied. The socket connects to exactly the addresses checked here,
 * so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
export function createGuardedLookup(policy: SsrfPolicy | CompiledSsrfPolicy, resolve: AddressResolver = systemResolver): LookupFunction {
  const rules = compiled(policy);
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const { address } of addresses) {
        const verdict = classifyAddress(address, rules);
        if (!verdict.allowed) return callback(new DestinationDeniedError(hostname, address, verdict.reason), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * An undici Agent whose every connection goes through the SSRF guard. `resolve` replaces the
 * system resolver (tests inject a DNS failure without looking up a real name).
 */
export function createGuardedAgent(
  policy: SsrfPolicy | CompiledSsrfPolicy,
  opts: { connections?: number; keepAliveTimeoutMs?: number; resolve?: AddressResolver; tls?: { ca?: string } } = {},
): Agent {
  const rules = compiled(policy);
  // `tls.ca`: extra trusted roots, e.g. a test receiver's self-signed certificate.
  const connectResolved = buildConnector({ lookup: createGuardedLookup(rules, opts.resolve), ...opts.tls });
  const connect: buildConnector.connector = (options, callback) => {
    // net.connect never calls `lookup` for an IP-literal host, so literals are judged here.
    if (isIP(options.hostname)) {
      const verdict = classifyAddress(options.hostname, rules);
      if (!verdict.allowed) {
        const denied = new DestinationDeniedError(options.hostname, options.hostname, verdict.reason);
        // Connectors report asynchronously; keep that contract for undici's client.
        process.nextTick(() => callback(denied, null));
        return;
      }
    }
    connectResolved(options, callback);
  };
  return new Agent({ connect, connections: opts.connections, keepAliveTimeout: opts.keepAliveTimeoutMs });
}

/** Recognises the guard's refusal, also when undici or Node wrap it (`cause`, AggregateError). */
export function isDestinationDenied(err: unknown): boolean {
  return isDenied(err, 0);
}

function isDenied(err: unknown, depth: number): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  const candidate = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (candidate.code === DESTINATION_DENIED_CODE || candidate.message === DESTINATION_DENIED_MESSAGE) return true;
  if (isDenied(candidate.cause, depth + 1)) return true;
  return Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDenied(inner, depth + 1));
}
