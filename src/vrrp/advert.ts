/**
 * The decoded content of one VRRP advertisement, independent of wire version.
 * RFC 3768 §5 (VRRPv2) and RFC 5798 §5.2 (VRRPv3).
 */
export type IpFamily = 4 | 6;

export type AdvertAuth =
  | { readonly type: 'none' }
  | { readonly type: 'pass'; readonly password: string } // RFC 2338 simple text password, v2 only, 8 bytes on the wire
  | { readonly type: 'ah' }; // IPsec AH (keepalived's auth_type AH), v2 only: carried in the IP layer

export interface Advert {
  readonly version: 2 | 3;
  readonly family: IpFamily;
  readonly vrid: number; // 1..255
  readonly priority: number; // 0..255; 0 = master is leaving, 255 = address owner
  /** v2: whole seconds on the wire (×1000 here); v3: centiseconds on the wire (×10 here). */
  readonly advertIntervalMs: number;
  /** IPv4 dotted-quad or canonical IPv6 text, in wire order. */
  readonly addresses: readonly string[];
  readonly auth: AdvertAuth;
}
