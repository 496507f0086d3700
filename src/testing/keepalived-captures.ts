// Adverts sent by the real keepalived 2.2.7 (Debian 12 package), captured with tcpdump in throw-away
// network namespaces: `keepalived -n -l -D -P` in one namespace (eth0 02:00:00:00:00:11, 192.0.2.11/24,
// link-local fe80::ff:fe00:11), tcpdump on the veth peer in the other (192.0.2.12/24 and 192.0.2.13/24).
// Each scenario ran until MASTER; SIGTERM then produced the priority-0 advert. IP source and destination
// are recorded because the VRRPv3 checksum covers a pseudo-header built from them (RFC 5798 §5.2.8).
// All packets carried TTL / hop limit 255; IPv4 TOS and IPv6 traffic class were 0xc0.
import type { Advert } from '../vrrp/advert.js';

export interface KeepalivedCapture {
  readonly name: string;
  /** The keepalived.conf settings that produced the packet. */
  readonly config: readonly string[];
  readonly family: 4 | 6;
  /** IP source and destination as seen on the wire. */
  readonly src: string;
  readonly dst: string;
  /** IPv4 only: the whole datagram as an AF_INET raw socket delivers it (AH header included if any). */
  readonly ip?: string;
  /** The VRRP message alone (after the IP header and any AH header). */
  readonly vrrp: string;
  /** Sent with keepalived's old_unicast_checksum: pseudo-header destination 224.0.0.18. */
  readonly oldUnicastChecksum?: true;
  readonly advert: Advert;
}

interface Scenario {
  readonly scenario: string;
  readonly config: readonly string[];
  readonly family: 4 | 6;
  readonly src: string;
  readonly oldUnicastChecksum?: true;
  readonly advert: Omit<Advert, 'priority'>;
  readonly packets: readonly { priority: number; dst: string; ip?: string; vrrp: string }[];
}

const scenarios: readonly Scenario[] = [
  {
    scenario: 'v2 PASS "123456", vrid 5 to 224.0.100.100 (reference lab)',
    config: [
      'global_defs { vrrp_mcast_group4 224.0.100.100 } (seed/lab-director-conf.sh, VI_1)',
      'state MASTER, virtual_router_id 5, priority 150, advert_int 1',
      'authentication { auth_type PASS; auth_pass 123456 }, virtual_ipaddress { 192.0.2.100/24 dev eth0 label eth0:0 }',
    ],
    family: 4,
    src: '192.0.2.11',
    advert: {
      version: 2, family: 4, vrid: 5, advertIntervalMs: 1000, addresses: ['192.0.2.100'],
      auth: { type: 'pass', password: '123456' },
    },
    packets: [
      {
        priority: 150,
        dst: '224.0.100.100',
        ip: '45c0002800010000ff70b434c000020be0006464210596010101ebf6c00002643132333435360000',
        vrrp: '210596010101ebf6c00002643132333435360000',
      },
      {
        priority: 0,
        dst: '224.0.100.100',
        ip: '45c0002800040000ff70b431c000020be000646421050001010181f7c00002643132333435360000',
        vrrp: '21050001010181f7c00002643132333435360000',
      },
    ],
  },
  {
    scenario: 'v2 no auth, vrid 51, interval 2 s, two VIPs',
    config: [
      'virtual_router_id 51, priority 255, advert_int 2, no authentication',
      'virtual_ipaddress { 192.0.2.100/24 192.0.2.101/24 }',
    ],
    family: 4,
    src: '192.0.2.11',
    advert: {
      version: 2, family: 4, vrid: 51, advertIntervalMs: 2000, addresses: ['192.0.2.100', '192.0.2.101'],
      auth: { type: 'none' },
    },
    packets: [
      {
        priority: 255,
        dst: '224.0.0.18',
        ip: '45c0002c00010000ff701883c000020be00000122133ff0200025afdc0000264c00002650000000000000000',
        vrrp: '2133ff0200025afdc0000264c00002650000000000000000',
      },
      {
        priority: 0,
        dst: '224.0.0.18',
        ip: '45c0002c00040000ff701880c000020be000001221330002000259fec0000264c00002650000000000000000',
        vrrp: '21330002000259fec0000264c00002650000000000000000',
      },
    ],
  },
  {
    scenario: 'v2 PASS cut to "secret12", vrid 51, two VIPs',
    config: [
      'virtual_router_id 51, priority 100, advert_int 1',
      'authentication { auth_type PASS; auth_pass secret12345 } (keepalived: "Truncating auth_pass to 8 characters")',
      'virtual_ipaddress { 192.0.2.100/24 192.0.2.101/24 }',
    ],
    family: 4,
    src: '192.0.2.11',
    advert: {
      version: 2, family: 4, vrid: 51, advertIntervalMs: 1000, addresses: ['192.0.2.100', '192.0.2.101'],
      auth: { type: 'pass', password: 'secret12' },
    },
    packets: [
      {
        priority: 100,
        dst: '224.0.0.18',
        ip: '45c0002c00010000ff701883c000020be00000122133640201018780c0000264c00002657365637265743132',
        vrrp: '2133640201018780c0000264c00002657365637265743132',
      },
      {
        priority: 0,
        dst: '224.0.0.18',
        ip: '45c0002c00030000ff701881c000020be0000012213300020101eb80c0000264c00002657365637265743132',
        vrrp: '213300020101eb80c0000264c00002657365637265743132',
      },
    ],
  },
  {
    scenario: 'v2 AH, vrid 55',
    config: [
      'virtual_router_id 55, priority 255, advert_int 1',
      'authentication { auth_type AH; auth_pass ahpass }, virtual_ipaddress { 192.0.2.130/24 }',
    ],
    family: 4,
    src: '192.0.2.11',
    advert: {
      version: 2, family: 4, vrid: 55, advertIntervalMs: 1000, addresses: ['192.0.2.130'], auth: { type: 'ah' },
    },
    packets: [
      {
        priority: 255,
        dst: '224.0.0.18',
        ip: '45c0004000010000ff3318acc000020be000001270040000c000020b00000001e88d7f07e18bc15eebe4a38d2137ff0102011b43c00002820000000000000000',
        vrrp: '2137ff0102011b43c00002820000000000000000',
      },
      {
        priority: 0,
        dst: '224.0.0.18',
        ip: '45c0004000040000ff3318a9c000020be000001270040000c000020b000000044ca58c4fb715440f8f91f11c2137000102011a44c00002820000000000000000',
        vrrp: '2137000102011a44c00002820000000000000000',
      },
    ],
  },
  {
    scenario: 'v3 IPv4 multicast, vrid 51, interval 50 cs',
    config: [
      'version 3, virtual_router_id 51, priority 255, advert_int 0.5',
      'virtual_ipaddress { 192.0.2.100/24 192.0.2.101/24 }',
    ],
    family: 4,
    src: '192.0.2.11',
    advert: {
      version: 3, family: 4, vrid: 51, advertIntervalMs: 500, addresses: ['192.0.2.100', '192.0.2.101'],
      auth: { type: 'none' },
    },
    packets: [
      {
        priority: 255,
        dst: '224.0.0.18',
        ip: '45c0002400010000ff70188bc000020be00000123133ff020032a82ec0000264c0000265',
        vrrp: '3133ff020032a82ec0000264c0000265',
      },
      {
        priority: 0,
        dst: '224.0.0.18',
        ip: '45c00024000b0000ff701881c000020be0000012313300020032a72fc0000264c0000265',
        vrrp: '313300020032a72fc0000264c0000265',
      },
    ],
  },
  {
    scenario: 'v3 IPv6 to ff02::12, vrid 52',
    config: [
      'virtual_router_id 52, priority 255, advert_int 1 (IPv6 VIPs imply version 3)',
      'virtual_ipaddress { fe80::52/64 2001:db8::100/64 }',
    ],
    family: 6,
    src: 'fe80::ff:fe00:11',
    advert: {
      version: 3, family: 6, vrid: 52, advertIntervalMs: 1000, addresses: ['fe80::52', '2001:db8::100'],
      auth: { type: 'none' },
    },
    packets: [
      {
        priority: 255,
        dst: 'ff02::12',
        vrrp: '3134ff020064a499fe80000000000000000000000000005220010db8000000000000000000000100',
      },
      {
        priority: 0,
        dst: 'ff02::12',
        vrrp: '313400020064a39afe80000000000000000000000000005220010db8000000000000000000000100',
      },
    ],
  },
  {
    scenario: 'v3 IPv4 unicast, vrid 53',
    config: [
      'version 3, virtual_router_id 53, priority 255, advert_int 1, unicast_src_ip 192.0.2.11',
      'unicast_peer { 192.0.2.12 192.0.2.13 }, virtual_ipaddress { 192.0.2.110/24 }',
    ],
    family: 4,
    src: '192.0.2.11',
    advert: {
      version: 3, family: 4, vrid: 53, advertIntervalMs: 1000, addresses: ['192.0.2.110'], auth: { type: 'none' },
    },
    packets: [
      {
        priority: 255,
        dst: '192.0.2.12',
        ip: '45c0002000010000ff703695c000020bc000020c3135ff0100648861c000026e',
        vrrp: '3135ff0100648861c000026e',
      },
      {
        priority: 255,
        dst: '192.0.2.13',
        ip: '45c0002000010000ff703694c000020bc000020d3135ff0100648860c000026e',
        vrrp: '3135ff0100648860c000026e',
      },
      {
        priority: 0,
        dst: '192.0.2.12',
        ip: '45c0002000060000ff703690c000020bc000020c3135000100648762c000026e',
        vrrp: '3135000100648762c000026e',
      },
      {
        priority: 0,
        dst: '192.0.2.13',
        ip: '45c0002000060000ff70368fc000020bc000020d3135000100648761c000026e',
        vrrp: '3135000100648761c000026e',
      },
    ],
  },
  {
    scenario: 'v3 IPv4 unicast with old_unicast_checksum, vrid 54',
    config: [
      'version 3, virtual_router_id 54, priority 255, advert_int 1, unicast_src_ip 192.0.2.11',
      'old_unicast_checksum, unicast_peer { 192.0.2.12 }, virtual_ipaddress { 192.0.2.120/24 }',
    ],
    family: 4,
    src: '192.0.2.11',
    oldUnicastChecksum: true,
    advert: {
      version: 3, family: 4, vrid: 54, advertIntervalMs: 1000, addresses: ['192.0.2.120'], auth: { type: 'none' },
    },
    packets: [
      {
        priority: 255,
        dst: '192.0.2.12',
        ip: '45c0002000010000ff703695c000020bc000020c3136ff0100646a50c0000278',
        vrrp: '3136ff0100646a50c0000278',
      },
      {
        priority: 0,
        dst: '192.0.2.12',
        ip: '45c0002000060000ff703690c000020bc000020c3136000100646951c0000278',
        vrrp: '3136000100646951c0000278',
      },
    ],
  },
];

export const keepalivedCaptures: readonly KeepalivedCapture[] = scenarios.flatMap(({ scenario, packets, ...s }) =>
  packets.map(({ priority, ...p }) => ({
    ...s,
    ...p,
    name: `${scenario}, priority ${priority}${priority === 0 ? ' (SIGTERM)' : ''}, to ${p.dst}`,
    advert: { ...s.advert, priority },
  })),
);
