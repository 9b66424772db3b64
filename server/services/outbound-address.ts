// Which addresses Hangar may open outbound connections to on a user's behalf (image imports).
// Only global unicast addresses, unless an administrator allowed the network; an IPv6 address that
// carries an IPv4 address inside it is judged by that IPv4 address too, since that is where its
// packets end up (mapped, translated, NAT64, 6to4, Teredo, ISATAP, IPv4-compatible forms).
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * The IPv4 addresses an IPv6 address embeds: null when it embeds none, an empty list when it
 * embeds one at a position that cannot be known (it is refused then).
 */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const p = address.parts;
  const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = address.range();
  if (range === 'unspecified' || range === 'loopback') return null;
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
      return [v4(p[6], p[7])];
    case 'rfc6052':
      // 64:ff9b::/96 puts it in the last 32 bits; in the local-use 64:ff9b:1::/48 its place depends on
      // the NAT64 prefix length the network chose (RFC 6052 §2.2), which cannot be known from here.
      return p[0] === 0x64 && p[1] === 0xff9b && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? [v4(p[6], p[7])] : [];
    case '6to4': // 2002:AABB:CCDD::/48
      return [v4(p[1], p[2])];
    case 'teredo': // 2001:0:SERVER:flags:port:~CLIENT (the client address is stored inverted)
      return [v4(p[2], p[3]), v4(~p[6] & 0xffff, ~p[7] & 0xffff)];
  }
  // IPv4-compatible ::a.b.c.d (deprecated, ::/96): ipaddr.js calls it unicast.
  if (p.slice(0, 6).every((part) => part === 0)) return [v4(p[6], p[7])];
  // ISATAP interface identifier (RFC 5214): ::0:5efe:a.b.c.d or ::200:5efe:a.b.c.d under any prefix.
  if ((p[4] & 0xfcff) === 0 && p[5] === 0x5efe) return [v4(p[6], p[7])];
  return null;
}

function inAllowedNetwork(addr: Address, allowedNetworks: readonly string[]): boolean {
  for (const network of allowedNetworks) {
    try {
      const [range, bits] = ipaddr.parseCIDR(network);
      // An IPv4 address also matches an allowed ::ffff:a.b.c.d/n range.
      const candidate = range.kind() === 'ipv6' && addr.kind() === 'ipv4' ? (addr as ipaddr.IPv4).toIPv4MappedAddress() : addr;
      if (candidate.kind() === range.kind() && candidate.match([range, bits] as [typeof candidate, number])) return true;
    } catch {
      // A malformed entry allows nothing.
    }
  }
  return false;
}

/** A literal address inside one of the networks an administrator allowed (not merely a public one). */
export function addressInAllowedNetwork(address: string, allowedNetworks: readonly string[]): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) && inAllowedNetwork(ipaddr.parse(bare), allowedNetworks);
}

function allowed(addr: Address, allowedNetworks: readonly string[]): boolean {
  if (inAllowedNetwork(addr, allowedNetworks)) return true;
  if (addr.kind() === 'ipv4') return addr.range() === 'unicast';
  const embedded = embeddedIPv4(addr as ipaddr.IPv6);
  if (embedded) return embedded.length > 0 && embedded.every((v4) => allowed(v4, allowedNetworks));
  return addr.range() === 'unicast';
}

/**
 * Only global unicast addresses, unless inside an allowed network. Everything else (loopback,
 * RFC 1918, CGNAT, link-local, unique-local, multicast, unspecified, reserved) is refused, and an
 * IPv6 address embedding an IPv4 address is allowed only when that IPv4 address is.
 */
export function addressAllowed(address: string, allowedNetworks: readonly string[]): boolean {
  let addr: Address;
  try {
    // parse(), not process(): the IPv6 form is judged as a whole (an allowed IPv6 range may name it).
    addr = ipaddr.parse(address.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
  // Only the canonical spellings: ipaddr.js also reads "127.1" or "0x7f.0.0.1" as IPv4.
  if (addr.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
  return allowed(addr, allowedNetworks);
}

export type Lookup = (host: string) => Promise<Array<{ address: string }>>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true });

/**
 * Resolves a host name and returns the first of its addresses that is not allowed, or null when
 * all are; throws when it does not resolve within 5 s. A literal address is judged as is.
 */
export async function refusedAddressOf(host: string, allowedNetworks: readonly string[], lookup: Lookup = systemLookup): Promise<string | null> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare)) return addressAllowed(bare, allowedNetworks) ? null : bare;
  const addresses = await Promise.race([
    lookup(bare),
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${bare} did not resolve in time`)), 5000).unref()),
  ]);
  if (addresses.length === 0) throw new Error(`${bare} has no address`);
  return addresses.find((a) => !addressAllowed(a.address, allowedNetworks))?.address ?? null;
}
