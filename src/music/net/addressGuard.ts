/**
 * Which addresses a fetch of a URL from outside (a cover from metadata, a redirect's
 * target) may connect to: public unicast only. Loopback, private, shared (CGNAT),
 * link-local (cloud metadata at 169.254.169.254), multicast, reserved and documentation
 * ranges are refused, and so are IPv4 addresses hidden in IPv6 (mapped `::ffff:a.b.c.d`,
 * NAT64 `64:ff9b::/96`).
 *
 * The check runs inside the socket's `lookup`, on the very addresses the connection then
 * uses, so a DNS answer cannot change between the check and the connect (no TOCTOU).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** A connection the guard refused; `code` is stable, the message names no secret. */
export class BlockedAddressError extends Error {
  readonly code = 'ADDRESS_BLOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

// IANA special-purpose registries (RFC 6890 and successors): none is a public web server.
// Two lists: node's BlockList matches IPv4 addresses against IPv6 rules too (as mapped
// addresses), which would let an IPv6 rule refuse public IPv4 hosts.
const BLOCKED_V4 = new BlockList();
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible (mapped and NAT64 are checked as IPv4)
  ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED_V6.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 is two groups). */
function groups(v6: string): number[] {
  let text = v6.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** The IPv4 address an IPv6 address carries (mapped or NAT64), if any. */
function embeddedV4(v6: string): string | undefined {
  const g = groups(v6);
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (!mapped && !nat64) return undefined;
  return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
}

/** True when `address` (an IP literal) is not a public unicast address. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED_V4.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedV4(address);
  return v4 !== undefined ? BLOCKED_V4.check(v4, 'ipv4') : BLOCKED_V6.check(address, 'ipv6');
}

/** Throws when a URL's host is an IP literal the guard refuses (sockets skip `lookup` for those). */
export function assertPublicLiteral(hostname: string): void {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isBlockedAddress(host)) throw new BlockedAddressError('the address is not public');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request`/`net.connect` that resolves like `dns.lookup` and refuses a
 * host when any of its addresses is not public (a name that also points inward is not
 * trusted with either). It answers in both shapes node asks for (`all` or one address).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    if (list.length === 0 || list.some((a) => isBlockedAddress(a.address))) {
      return callback(new BlockedAddressError(`${hostname} resolves to an address that is not public`), []);
    }
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}
