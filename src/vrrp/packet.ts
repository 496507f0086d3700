// VRRP advertisement codec: VRRPv2 (RFC 3768, auth from RFC 2338) and VRRPv3
// (RFC 5798, pseudo-header checksum clarified by RFC 9568), IPv4 and IPv6.
// Pure: no IO, no clock, no logging. `decode` never throws; `encode` throws a
// RangeError only when handed an Advert that breaks the codec's invariants
// (the config layer validates and rounds values before they get here).
import { finishChecksum as finish, sum16 } from '../lib/inet-checksum.js';
import { ntop4, ntop6, pton4, pton6 } from '../lib/ip-address.js';
import type { Advert, AdvertAuth, IpFamily } from './advert.js';

/** RFC 5798 §5.1.1.4 / RFC 3768 §5.2.4: IP protocol number assigned to VRRP. */
export const IPPROTO_VRRP = 112;
/** RFC 2338 §5.3.6.3: AH-authenticated adverts carry protocol 51 in the IP header. */
export const IPPROTO_AH = 51;

const VERSION_2 = 2; // RFC 3768 §5.3.1
const VERSION_3 = 3; // RFC 5798 §5.2.1
const TYPE_ADVERTISEMENT = 1; // RFC 5798 §5.2.2, RFC 3768 §5.3.2: the only type defined
const HEADER_LENGTH = 8; // RFC 5798 §5.2: fixed part before the address list
const AUTH_DATA_LENGTH = 8; // RFC 3768 §5.3.10: trailing 8 bytes, v2 only
const AUTH_TYPE_NONE = 0; // RFC 3768 §5.3.6
const AUTH_TYPE_SIMPLE_TEXT = 1; // RFC 2338 §5.3.6.2
const AUTH_TYPE_IP_AH = 2; // RFC 2338 §5.3.6.3
const MAX_ADVER_INT_MASK = 0x0fff; // RFC 5798 §5.2.7: 12 bits; §5.2.6: top 4 bits rsvd, ignored on receipt
const MAX_ADDR_COUNT = 255; // RFC 5798 §5.2.5: 8-bit count
const CHECKSUM_OFFSET = 6; // RFC 5798 §5.2.8
const AH_HEADER_LENGTH = 24; // RFC 2402 §2 with a 96-bit ICV (HMAC-MD5-96), as keepalived sends
const AH_PAYLOAD_LEN = 4; // RFC 2402 §2.2: (24 / 4) - 2
const DEFAULT_MCAST_GROUP4 = '224.0.0.18'; // RFC 5798 §5.1.1.2

/**
 * Why `decode` refused a VRRP message. The driver counts these and logs them at
 * debug, rate-limited. The keepalived counterpart is named where there is one.
 */
export type DropReason =
  /** Fewer than the 8 fixed header bytes. keepalived: "IPv4/IPv6 VRRP packet too short". */
  | 'too-short'
  /** VRID 0 (RFC 5798 §5.2.3: 1..255). keepalived finds no instance: "Unknown VRID". */
  | 'bad-vrid'
  /** Version nibble is neither 2 nor 3. keepalived: "wrong version". */
  | 'bad-version'
  /** VRRPv2 over IPv6 (RFC 3768 is IPv4 only), or a context family other than 4/6. */
  | 'bad-family'
  /** Length differs from what Count IPvX Addr implies. keepalived: "vrrp packet too long/short" (packet_len_err). */
  | 'addr-count-mismatch'
  /** v2 auth type not 0, 1 or 2. keepalived: "Invalid auth type" (invalid_authtype). */
  | 'bad-auth-type'
  /** Advert interval of 0 (v2 seconds or v3 centiseconds): no usable timer can be derived from it. */
  | 'bad-interval'
  /** Type nibble is not 1 (ADVERTISEMENT). keepalived: "Invalid packet type" (invalid_type_rcvd). */
  | 'bad-type'
  /** Checksum does not verify. keepalived: "Invalid VRRPv2/VRRPv3 checksum" (chk_err). */
  | 'bad-checksum'
  /** v3 checksum verification was asked for but the context lacks a usable source/destination address. */
  | 'missing-pseudo-header';

/** How the checksum of an accepted message was established. */
export type ChecksumOutcome =
  | 'valid'
  /** Valid only with the multicast group as pseudo-header destination (keepalived ≤1.3.6 unicast peers). */
  | 'valid-old-unicast'
  /** `checksum: 'skip'` was requested (e.g. the kernel verified it through IPV6_CHECKSUM). */
  | 'not-checked';

export type DecodeResult =
  | { readonly ok: true; readonly advert: Advert; readonly checksum: ChecksumOutcome }
  | { readonly ok: false; readonly reason: DropReason };

/** What the v3 checksum covers besides the message: RFC 5798 §5.2.8 / RFC 9568 §5.2.8 pseudo-header. */
export interface PseudoHeaderOptions {
  /** IP source of the packet. */
  readonly srcAddress?: string;
  /** IP destination of the packet: the multicast group, or this copy's unicast peer. */
  readonly dstAddress?: string;
  /**
   * keepalived old_unicast_checksum (v3 over IPv4): use `mcastGroup4` instead of the real destination,
   * as keepalived ≤1.3.6 did for unicast peers (keepalived's "config" and "auto" modes).
   */
  readonly oldUnicastChecksum?: boolean;
  /** keepalived vrrp_mcast_group4; default 224.0.0.18. */
  readonly mcastGroup4?: string;
}

/** For v3 over IPv4 `srcAddress` and `dstAddress` are required; for IPv6 leaving both out writes checksum 0
 * for the kernel to fill in (IPV6_CHECKSUM), as keepalived does. */
export type EncodeOptions = PseudoHeaderOptions;

export interface DecodeContext extends PseudoHeaderOptions {
  readonly family: IpFamily;
  /** v3 only (v2 is always verified). Default 'verify'; 'skip' when the kernel verified it (IPV6_CHECKSUM). */
  readonly checksum?: 'verify' | 'skip';
  /**
   * keepalived's default for unicast v3 instances: when the RFC checksum fails and the destination is not
   * `mcastGroup4`, also try `mcastGroup4` and report 'valid-old-unicast' (the driver then switches its
   * own sending to `oldUnicastChecksum`). Ignored when `oldUnicastChecksum` is set.
   */
  readonly detectOldUnicastChecksum?: boolean;
}

const addressLength = (family: IpFamily): number => (family === 4 ? 4 : 16);

/** Bytes the encoded VRRP message (without IP header) occupies. */
export function encodingLength(adv: Advert): number {
  const auth = adv.version === VERSION_2 ? AUTH_DATA_LENGTH : 0;
  return HEADER_LENGTH + adv.addresses.length * addressLength(adv.family) + auth;
}

/** Encodes `adv` into `buf` at `offset` (a new buffer by default) and returns `buf`. */
export function encode(adv: Advert, opts: EncodeOptions = {}, buf?: Uint8Array, offset = 0): Uint8Array {
  const len = encodingLength(adv);
  const out = buf ?? new Uint8Array(len);
  if (!Number.isInteger(offset) || offset < 0 || offset + len > out.length) {
    throw new RangeError(`vrrp encode: ${len} bytes do not fit at offset ${offset} of ${out.length}`);
  }
  checkFields(adv);
  const alen = addressLength(adv.family);
  const addresses = adv.addresses.map((text) => {
    const bytes = parseAddress(adv.family, text);
    if (bytes === undefined) throw new RangeError(`vrrp encode: '${text}' is not an IPv${adv.family} address`);
    return bytes;
  });
  const msg = out.subarray(offset, offset + len);
  msg.fill(0);
  msg[0] = (adv.version << 4) | TYPE_ADVERTISEMENT;
  msg[1] = adv.vrid;
  msg[2] = adv.priority;
  msg[3] = adv.addresses.length;
  addresses.forEach((bytes, i) => msg.set(bytes, HEADER_LENGTH + i * alen));
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (adv.version === VERSION_2) {
    msg[4] = AUTH_TYPE_CODE[adv.auth.type];
    msg[5] = adv.advertIntervalMs / 1000;
    if (adv.auth.type === 'pass') msg.set(passwordBytes(adv.auth.password), len - AUTH_DATA_LENGTH);
    // RFC 3768 §5.3.8: one's complement sum over the VRRP message only (auth data included).
    view.setUint16(CHECKSUM_OFFSET, finish(sum16(msg, 0)));
    return out;
  }
  view.setUint16(4, adv.advertIntervalMs / 10);
  const useGroup = adv.family === 4 && opts.oldUnicastChecksum === true;
  const dst = useGroup ? (opts.mcastGroup4 ?? DEFAULT_MCAST_GROUP4) : opts.dstAddress;
  // keepalived: vrrp_build_vrrp_v3() leaves the IPv6 checksum 0 for the kernel (IPV6_CHECKSUM).
  if (adv.family === 6 && opts.srcAddress === undefined && opts.dstAddress === undefined) return out;
  const pseudo = pseudoHeader(adv.family, opts.srcAddress, dst, len);
  if (pseudo === undefined) {
    throw new RangeError(`vrrp encode: v3 over IPv${adv.family} needs srcAddress and dstAddress of that family`);
  }
  view.setUint16(CHECKSUM_OFFSET, finish(sum16(msg, sum16(pseudo, 0))));
  return out;
}

function checkFields(adv: Advert): void {
  const byte = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 255;
  if (adv.version !== VERSION_2 && adv.version !== VERSION_3) throw new RangeError('vrrp encode: bad version');
  if (adv.family !== 4 && adv.family !== 6) throw new RangeError('vrrp encode: family must be 4 or 6');
  if (adv.version === VERSION_2 && adv.family === 6) throw new RangeError('vrrp encode: VRRPv2 is IPv4 only');
  if (adv.version === VERSION_3 && adv.auth.type !== 'none') {
    throw new RangeError('vrrp encode: VRRPv3 has no authentication (RFC 5798 §9)');
  }
  if (!byte(adv.vrid) || adv.vrid === 0) throw new RangeError(`vrrp encode: vrid ${adv.vrid} not in 1..255`);
  if (!byte(adv.priority)) throw new RangeError(`vrrp encode: priority ${adv.priority} not in 0..255`);
  if (adv.addresses.length > MAX_ADDR_COUNT) throw new RangeError('vrrp encode: more than 255 addresses');
  // The config layer rounds advert_int as keepalived does; here a fraction is a bug.
  if (adv.version === VERSION_2) {
    const seconds = adv.advertIntervalMs / 1000;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 255) {
      throw new RangeError(`vrrp encode: v2 interval ${adv.advertIntervalMs}ms is not 1..255 whole seconds`);
    }
  } else {
    const cs = adv.advertIntervalMs / 10;
    if (!Number.isInteger(cs) || cs < 1 || cs > MAX_ADVER_INT_MASK) {
      throw new RangeError(`vrrp encode: v3 interval ${adv.advertIntervalMs}ms is not 10..40950 in 10ms steps`);
    }
  }
  if (adv.auth.type === 'pass') passwordBytes(adv.auth.password);
}

const AUTH_TYPE_CODE: Readonly<Record<AdvertAuth['type'], number>> = {
  none: AUTH_TYPE_NONE,
  pass: AUTH_TYPE_SIMPLE_TEXT,
  ah: AUTH_TYPE_IP_AH,
};

/** Decodes one VRRP message (the IP payload, after any AH header). Never throws. */
export function decode(buf: Uint8Array, ctx: DecodeContext): DecodeResult {
  const { family } = ctx;
  if (family !== 4 && family !== 6) return drop('bad-family');
  if (buf.length < HEADER_LENGTH) return drop('too-short');
  const b0 = buf[0] ?? 0;
  const vrid = buf[1] ?? 0;
  const priority = buf[2] ?? 0;
  const count = buf[3] ?? 0;
  // Checks run in the order of keepalived: vrrp_check_packet(), so a packet with several faults is
  // counted under the same reason keepalived would count it. VRID 0 never matches an instance.
  if (vrid === 0) return drop('bad-vrid');
  const version = b0 >> 4;
  if (version !== VERSION_2 && version !== VERSION_3) return drop('bad-version');
  if (version === VERSION_2 && family === 6) return drop('bad-family');
  const auth = version === VERSION_2 ? AUTH_DATA_LENGTH : 0;
  if (buf.length !== HEADER_LENGTH + count * addressLength(family) + auth) return drop('addr-count-mismatch');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let advertIntervalMs: number;
  let advertAuth: AdvertAuth = { type: 'none' };
  if (version === VERSION_2) {
    const authType = buf[4] ?? 0;
    if (authType === AUTH_TYPE_SIMPLE_TEXT) {
      advertAuth = { type: 'pass', password: passwordFromBytes(buf.subarray(buf.length - AUTH_DATA_LENGTH)) };
    } else if (authType === AUTH_TYPE_IP_AH) {
      advertAuth = { type: 'ah' };
    } else if (authType !== AUTH_TYPE_NONE) {
      return drop('bad-auth-type');
    }
    // RFC 3768 §5.3.10: for auth type 0 the auth data is ignored on reception (still checksummed).
    advertIntervalMs = (buf[5] ?? 0) * 1000;
  } else {
    advertIntervalMs = (view.getUint16(4) & MAX_ADVER_INT_MASK) * 10;
  }
  if (advertIntervalMs === 0) return drop('bad-interval');
  if ((b0 & 0x0f) !== TYPE_ADVERTISEMENT) return drop('bad-type');
  const checksum = verifyChecksum(buf, version, ctx);
  if (checksum === 'bad-checksum' || checksum === 'missing-pseudo-header') return drop(checksum);
  const addresses: string[] = [];
  const alen = addressLength(family);
  for (let i = 0; i < count; i++) {
    const at = HEADER_LENGTH + i * alen;
    addresses.push(formatAddress(family, buf.subarray(at, at + alen)));
  }
  const advert: Advert = { version, family, vrid, priority, advertIntervalMs, addresses, auth: advertAuth };
  return { ok: true, advert, checksum };
}

const drop = (reason: DropReason): { readonly ok: false; readonly reason: DropReason } => ({ ok: false, reason });

function verifyChecksum(
  buf: Uint8Array,
  version: number,
  ctx: DecodeContext,
): ChecksumOutcome | 'bad-checksum' | 'missing-pseudo-header' {
  // A message whose checksum field is right sums (with the pseudo-header) to 0xffff, i.e. folds to 0.
  if (version === VERSION_2) return finish(sum16(buf, 0)) === 0 ? 'valid' : 'bad-checksum';
  if (ctx.checksum === 'skip') return 'not-checked';
  const group = ctx.mcastGroup4 ?? DEFAULT_MCAST_GROUP4;
  const useGroup = ctx.family === 4 && ctx.oldUnicastChecksum === true;
  const verifies = (dst: string | undefined): boolean | undefined => {
    const pseudo = pseudoHeader(ctx.family, ctx.srcAddress, dst, buf.length);
    return pseudo === undefined ? undefined : finish(sum16(buf, sum16(pseudo, 0))) === 0;
  };
  const primary = verifies(useGroup ? group : ctx.dstAddress);
  if (primary === undefined) return 'missing-pseudo-header';
  if (primary) return 'valid';
  // keepalived: vrrp_check_packet() retries a unicast v3 packet with the multicast group as pseudo-header
  // destination and, if that verifies, switches the instance to the old checksum ("Setting unicast
  // VRRPv3 checksum to old version"). The switch is the driver's business; we only report it.
  const detect = ctx.family === 4 && !useGroup && ctx.detectOldUnicastChecksum === true;
  if (detect && !sameAddress(4, ctx.dstAddress, group) && verifies(group) === true) {
    return 'valid-old-unicast';
  }
  return 'bad-checksum';
}

function sameAddress(family: IpFamily, a: Text, b: Text): boolean {
  const x = parseAddress(family, a);
  const y = parseAddress(family, b);
  return x !== undefined && y !== undefined && x.every((v, i) => v === y[i]);
}

/** RFC 9568 §5.2.8 (IPv4: RFC 768 layout) and RFC 8200 §8.1 (IPv6) pseudo-headers, next header 112. */
function pseudoHeader(family: IpFamily, src: Text, dst: Text, len: number): Uint8Array | undefined {
  const s = parseAddress(family, src);
  const d = parseAddress(family, dst);
  if (s === undefined || d === undefined) return undefined;
  const ph = new Uint8Array(family === 4 ? 12 : 40);
  ph.set(s, 0);
  ph.set(d, addressLength(family));
  const view = new DataView(ph.buffer);
  if (family === 4) view.setUint16(10, len); // src | dst | zero | protocol | VRRP length (16 bits)
  else view.setUint32(32, len); // src | dst | upper-layer length (32 bits) | 3 zero bytes | next header
  ph[ph.length - (family === 4 ? 3 : 1)] = IPPROTO_VRRP;
  return ph;
}


// ---- v2 simple text password (RFC 2338 §5.3.6.2) -------------------------------------------------
// The codec holds a password as a byte string: one UTF-16 code unit (0..255) per wire byte, trailing
// NULs removed. That keeps every 8-byte value lossless, so `===` on two such strings is exactly
// keepalived's 8-byte memcmp in vrrp_check_packet(). Use authPassFromConfig() for configured text.

/** keepalived: vrrp_auth_pass_handler(): the auth_pass text as UTF-8 bytes, cut to 8 bytes. */
export function authPassFromConfig(text: string): string {
  return passwordFromBytes(new TextEncoder().encode(text).subarray(0, AUTH_DATA_LENGTH));
}

/** Compares two codec passwords without an early exit (keepalived: memcmp_constant_time()). */
export function passwordsEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < AUTH_DATA_LENGTH; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

function passwordFromBytes(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return String.fromCharCode(...bytes.subarray(0, end));
}

function passwordBytes(password: string): Uint8Array {
  const out = new Uint8Array(AUTH_DATA_LENGTH);
  if (password.length > AUTH_DATA_LENGTH) throw new RangeError('vrrp encode: password longer than 8 bytes');
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    if (c > 0xff) throw new RangeError('vrrp encode: password is not a byte string (see authPassFromConfig)');
    out[i] = c;
  }
  return out;
}

// ---- raw IPv4 / AH framing ------------------------------------------------------------------------

export type Ipv4DropReason = 'too-short' | 'bad-ip-version' | 'bad-ihl' | 'bad-total-length';
export type Ipv4ParseResult =
  | {
      readonly ok: true;
      readonly tos: number;
      readonly id: number;
      readonly ttl: number;
      readonly protocol: number;
      readonly src: string;
      readonly dst: string;
      /** Bytes after the IPv4 header (options skipped), up to the total length. */
      readonly payload: Uint8Array;
    }
  | { readonly ok: false; readonly reason: Ipv4DropReason };

/** Splits a datagram as an AF_INET raw socket delivers it (IP header included). Never throws. */
export function parseIpv4Header(buf: Uint8Array): Ipv4ParseResult {
  if (buf.length < 20) return { ok: false, reason: 'too-short' };
  const b0 = buf[0] ?? 0;
  if (b0 >> 4 !== 4) return { ok: false, reason: 'bad-ip-version' };
  const ihl = (b0 & 0x0f) * 4;
  if (ihl < 20 || ihl > buf.length) return { ok: false, reason: 'bad-ihl' };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const totalLength = view.getUint16(2);
  // keepalived: vrrp_check_packet() "ip_tot_len mismatch against received length" (packet_len_err).
  if (totalLength !== buf.length) return { ok: false, reason: 'bad-total-length' };
  return {
    ok: true,
    tos: buf[1] ?? 0,
    id: view.getUint16(4),
    ttl: buf[8] ?? 0,
    protocol: buf[9] ?? 0,
    src: formatAddress(4, buf.subarray(12, 16)),
    dst: formatAddress(4, buf.subarray(16, 20)),
    payload: buf.subarray(ihl, totalLength),
  };
}

export type AhDropReason = 'too-short' | 'bad-ah-length' | 'not-vrrp';
export type AhSplitResult =
  | {
      readonly ok: true;
      /** keepalived sets the SPI to the sender's IPv4 source address. */
      readonly spi: number;
      readonly sequence: number;
      /** 96-bit truncated HMAC-MD5 (RFC 2403); verifying it needs the key and the IP header. */
      readonly icv: Uint8Array;
      /** The VRRP message that follows the AH header. */
      readonly payload: Uint8Array;
    }
  | { readonly ok: false; readonly reason: AhDropReason };

/** Splits the AH header (RFC 2402 §2) off an IP payload whose protocol is 51. Never throws. */
export function splitAuthHeader(buf: Uint8Array): AhSplitResult {
  if (buf.length < AH_HEADER_LENGTH) return { ok: false, reason: 'too-short' };
  if (buf[1] !== AH_PAYLOAD_LEN) return { ok: false, reason: 'bad-ah-length' };
  // keepalived: vrrp_check_packet() drops AH for another protocol (VRRP_PACKET_DROP).
  if (buf[0] !== IPPROTO_VRRP) return { ok: false, reason: 'not-vrrp' };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return {
    ok: true,
    spi: view.getUint32(4),
    sequence: view.getUint32(8),
    icv: buf.subarray(12, AH_HEADER_LENGTH),
    payload: buf.subarray(AH_HEADER_LENGTH),
  };
}

// ---- address text <-> bytes (no node:net: the codec stays pure) ------------------------------------

type Text = string | undefined;

function parseAddress(family: IpFamily, text: Text): Uint8Array | undefined {
  if (text === undefined) return undefined;
  return family === 4 ? parseIpv4(text) : parseIpv6(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const b = pton4(text);
  return b ? Uint8Array.from(b) : undefined;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const b = pton6(text);
  return b ? Uint8Array.from(b) : undefined;
}

function formatAddress(family: IpFamily, b: Uint8Array): string {
  return family === 4 ? ntop4(b) : ntop6(b);
}
