import ipaddr from 'ipaddr.js';

/**
 * Source addresses in one canonical form: the 16 bytes of the address, IPv4
 * as its IPv4-mapped IPv6 address (::ffff:a.b.c.d), written as 32 lowercase
 * hex digits. So `1.2.3.4`, `::ffff:1.2.3.4` and the short and long spellings
 * of one IPv6 address are the same key, and a CIDR block is one contiguous
 * range of keys: fixed-width hex sorts as the bytes do. Text, not a BLOB, so
 * the key crosses threads as a plain string and the preparer thread makes it.
 */
export type IpRange = { first: string; last: string };

function toIpv6(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv6 {
  return address.kind() === 'ipv4' ? (address as ipaddr.IPv4).toIPv4MappedAddress() : (address as ipaddr.IPv6);
}

/** Dotted quads and IPv6 text only: no legacy `1.2.3` or octal forms, no zone ids. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

/** The key of a valid address, or null for anything else. */
export function ipKey(text: string | null | undefined): string | null {
  const address = text ? parseAddress(text) : null;
  return address && Buffer.from(toIpv6(address).toByteArray()).toString('hex');
}

/**
 * The keys an address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`,
 * `::ffff:10.0.0.0/104`) covers, or null if `text` is neither. An IPv4 prefix
 * /n becomes the mapped prefix /(96 + n); host bits set in the base are ignored.
 */
export function ipRange(text: string): IpRange | null {
  if (!text.includes('/')) {
    const key = ipKey(text);
    return key === null ? null : { first: key, last: key };
  }
  const [address, length, ...rest] = text.split('/');
  const base = parseAddress(address);
  if (!base || rest.length > 0 || !/^\d{1,3}$/.test(length)) return null;
  const bits = Number(length);
  if (bits > (base.kind() === 'ipv4' ? 32 : 128)) return null;
  const prefix = base.kind() === 'ipv4' ? bits + 96 : bits;
  const bytes = toIpv6(base).toByteArray();
  const first = Buffer.alloc(16);
  const last = Buffer.alloc(16);
  for (let index = 0; index < 16; index++) {
    const kept = Math.max(0, Math.min(8, prefix - index * 8));
    const mask = kept === 0 ? 0 : (0xff << (8 - kept)) & 0xff;
    first[index] = bytes[index] & mask;
    last[index] = (bytes[index] & mask) | (~mask & 0xff);
  }
  return { first: first.toString('hex'), last: last.toString('hex') };
}

/** Whether `text` is an address or a CIDR block `ipRange` accepts. */
export function isIpOrCidr(text: string): boolean {
  return text.length <= 64 && ipRange(text) !== null;
}

/** The text of a key: dotted quad for an IPv4-mapped key, RFC 5952 form otherwise. */
export function ipText(key: string): string {
  const address = ipaddr.fromByteArray([...Buffer.from(key, 'hex')]) as ipaddr.IPv6;
  return address.isIPv4MappedAddress() ? address.toIPv4Address().toString() : address.toRFC5952String();
}
