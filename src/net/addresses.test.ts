import { describe, expect, it } from 'vitest';
import type { IpAddress } from '../config/schema/address.js';
import { isKaError } from '../lib/errors.js';
import type { Exec, ExecResult } from '../lib/exec.js';
import { addressArgv, IpRoute, parseIpAddrJson } from './addresses.js';

function v4(address: string, over: Partial<IpAddress> = {}): IpAddress {
  return {
    address,
    family: 'inet',
    prefix: 32,
    home: false,
    noDad: false,
    mngtmpaddr: false,
    noPrefixRoute: false,
    autojoin: false,
    noTrack: false,
    useVmac: false,
    ...over,
  };
}

const v6 = (address: string, over: Partial<IpAddress> = {}): IpAddress => v4(address, { family: 'inet6', prefix: 128, ...over });

describe('addressArgv', () => {
  it.each<[string, 'add' | 'del', IpAddress, string[]]>([
    ['IPv4 /32 on the default device', 'add', v4('192.0.2.100'), ['ip', '-4', 'addr', 'add', '192.0.2.100/32', 'dev', 'eth0']],
    [
      'IPv4 with brd, label and scope',
      'add',
      v4('192.0.2.100', { prefix: 24, broadcast: '192.0.2.255', label: 'eth0:vip', scope: 253 }),
      ['ip', '-4', 'addr', 'add', '192.0.2.100/24', 'dev', 'eth0', 'broadcast', '192.0.2.255', 'label', 'eth0:vip', 'scope', '253'],
    ],
    [
      'IPv4 with a peer (before dev) and its own dev',
      'add',
      v4('192.0.2.100', { peer: '192.0.2.200', dev: 'eth1' }),
      ['ip', '-4', 'addr', 'add', '192.0.2.100/32', 'peer', '192.0.2.200', 'dev', 'eth1'],
    ],
    [
      'IPv4 flags in argv order',
      'add',
      v4('192.0.2.100', { home: true, noPrefixRoute: true, autojoin: true }),
      ['ip', '-4', 'addr', 'add', '192.0.2.100/32', 'dev', 'eth0', 'home', 'noprefixroute', 'autojoin'],
    ],
    [
      'IPv6 /128: nodad and preferred_lft 0 (deprecated, never a source)',
      'add',
      v6('2001:db8::100'),
      ['ip', '-6', 'addr', 'add', '2001:db8::100/128', 'dev', 'eth0', 'nodad', 'preferred_lft', '0'],
    ],
    ['IPv6 /64: nodad, preferred forever by default', 'add', v6('2001:db8::100', { prefix: 64 }), ['ip', '-6', 'addr', 'add', '2001:db8::100/64', 'dev', 'eth0', 'nodad']],
    ['IPv6 with -nodad: DAD stays on', 'add', v6('2001:db8::100', { prefix: 64, noDad: true }), ['ip', '-6', 'addr', 'add', '2001:db8::100/64', 'dev', 'eth0']],
    [
      'IPv6 /128 with an explicit preferred_lft',
      'add',
      v6('2001:db8::100', { preferredLft: 30 }),
      ['ip', '-6', 'addr', 'add', '2001:db8::100/128', 'dev', 'eth0', 'nodad', 'preferred_lft', '30'],
    ],
    [
      'IPv6 preferred_lft forever',
      'add',
      v6('2001:db8::100', { prefix: 64, preferredLft: 0xffffffff }),
      ['ip', '-6', 'addr', 'add', '2001:db8::100/64', 'dev', 'eth0', 'nodad', 'preferred_lft', 'forever'],
    ],
    [
      'IPv6 ignores the IPv4-only brd and label; keeps mngtmpaddr',
      'add',
      v6('2001:db8::100', { prefix: 64, broadcast: '192.0.2.255', label: 'eth0:x', mngtmpaddr: true }),
      ['ip', '-6', 'addr', 'add', '2001:db8::100/64', 'dev', 'eth0', 'nodad', 'mngtmpaddr'],
    ],
    [
      'del IPv4: no options',
      'del',
      v4('192.0.2.100', { prefix: 24, broadcast: '192.0.2.255', label: 'eth0:vip', scope: 253, home: true }),
      ['ip', '-4', 'addr', 'del', '192.0.2.100/24', 'dev', 'eth0'],
    ],
    ['del IPv4 keeps the peer that identifies the address', 'del', v4('192.0.2.100', { peer: '192.0.2.200' }), ['ip', '-4', 'addr', 'del', '192.0.2.100/32', 'peer', '192.0.2.200', 'dev', 'eth0']],
    ['del IPv6 /128: no nodad, no preferred_lft', 'del', v6('2001:db8::100'), ['ip', '-6', 'addr', 'del', '2001:db8::100/128', 'dev', 'eth0']],
  ])('%s', (_, op, a, argv) => {
    expect(addressArgv(op, a, 'eth0')).toEqual(argv);
  });
});

// The shape of `ip -j addr show` (iproute2), with documentation addresses.
const IP_J_ADDR_SHOW = JSON.stringify([
  {
    ifindex: 1,
    ifname: 'lo',
    flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
    mtu: 65536,
    qdisc: 'noqueue',
    operstate: 'UNKNOWN',
    group: 'default',
    txqlen: 1000,
    link_type: 'loopback',
    address: '00:00:00:00:00:00',
    broadcast: '00:00:00:00:00:00',
    addr_info: [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ],
  },
  {
    ifindex: 2,
    ifname: 'ifb0',
    flags: ['BROADCAST', 'NOARP'],
    mtu: 1500,
    qdisc: 'noop',
    operstate: 'DOWN',
    group: 'default',
    txqlen: 32,
    link_type: 'ether',
    address: '92:b7:c8:4b:25:f5',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    addr_info: [],
  },
  {
    ifindex: 3,
    ifname: 'eth1',
    flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'],
    mtu: 1500,
    qdisc: 'pfifo_fast',
    operstate: 'DOWN',
    group: 'default',
    txqlen: 1000,
    link_type: 'ether',
    address: '02:fc:00:00:00:02',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    addr_info: [],
  },
  {
    ifindex: 4,
    ifname: 'eth0',
    flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    mtu: 1500,
    qdisc: 'pfifo_fast',
    operstate: 'UP',
    group: 'default',
    txqlen: 1000,
    link_type: 'ether',
    address: '02:fc:00:00:00:01',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    addr_info: [
      { family: 'inet', local: '192.0.2.12', prefixlen: 24, broadcast: '192.0.2.255', scope: 'global', label: 'eth0', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet', local: '192.0.2.100', prefixlen: 32, scope: 'global', label: 'eth0', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: '2001:db8::12', prefixlen: 64, scope: 'global', nodad: true, valid_life_time: 4294967295, preferred_life_time: 4294967295 },
      { family: 'inet6', local: 'fe80::fc:ff:fe00:1', prefixlen: 64, scope: 'link', valid_life_time: 4294967295, preferred_life_time: 4294967295 },
    ],
  },
]);

describe('parseIpAddrJson', () => {
  it('reads each link: name, index and its addresses in kernel order', () => {
    expect(parseIpAddrJson(IP_J_ADDR_SHOW)).toEqual([
      {
        name: 'lo',
        ifindex: 1,
        addresses: [
          { address: '127.0.0.1', prefix: 8, family: 'inet', scope: 'host' },
          { address: '::1', prefix: 128, family: 'inet6', scope: 'host' },
        ],
      },
      { name: 'ifb0', ifindex: 2, addresses: [] },
      { name: 'eth1', ifindex: 3, addresses: [] },
      {
        name: 'eth0',
        ifindex: 4,
        addresses: [
          { address: '192.0.2.12', prefix: 24, family: 'inet', scope: 'global' },
          { address: '192.0.2.100', prefix: 32, family: 'inet', scope: 'global' },
          { address: '2001:db8::12', prefix: 64, family: 'inet6', scope: 'global' },
          { address: 'fe80::fc:ff:fe00:1', prefix: 64, family: 'inet6', scope: 'link' },
        ],
      },
    ]);
  });

  it('skips links and addresses it cannot read, keeping the rest', () => {
    const text = JSON.stringify([
      { ifname: 'no-index' },
      { ifindex: 5, flags: ['UP'] },
      {
        ifindex: 6,
        ifname: 'eth2',
        addr_info: [{ family: 'inet' }, { family: 'packet', local: 'x' }, { family: 'inet', local: '198.51.100.7' }],
      },
    ]);
    expect(parseIpAddrJson(text)).toEqual([
      {
        name: 'eth2',
        ifindex: 6,
        addresses: [{ address: '198.51.100.7', prefix: 0, family: 'inet', scope: 'global' }],
      },
    ]);
  });

  it.each([['not json'], [''], ['{"ifindex":1}'], ['42'], ['null'], ['[1, "x", true]']])('junk %j gives no links', (text) => {
    expect(parseIpAddrJson(text)).toEqual([]);
  });

  // Regression: null array elements and a non-array addr_info used to throw.
  it.each<[string, string, string[]]>([
    ['a null link', '[null, {"ifindex":1,"ifname":"lo"}]', ['lo: 0']],
    ['a null address', '[{"ifindex":1,"ifname":"lo","addr_info":[null,{"family":"inet","local":"127.0.0.1"}]}]', ['lo: 1']],
    ['an addr_info that is not a list', '[{"ifindex":1,"ifname":"lo","addr_info":"x"}]', ['lo: 0']],
  ])('skips %s instead of throwing', (_, text, links) => {
    expect(parseIpAddrJson(text).map((l) => `${l.name}: ${l.addresses.length}`)).toEqual(links);
  });
});

/** A fake `ip`: records argv and answers from a queue (default: success). */
function fakeExec(...answers: Array<Partial<ExecResult>>) {
  const calls: string[][] = [];
  const exec: Exec = async (argv) => {
    calls.push([...argv]);
    return { code: 0, stdout: '', stderr: '', ...answers.shift() };
  };
  return { exec, calls };
}

describe('IpRoute', () => {
  const VIP = v4('192.0.2.100', { prefix: 24, label: 'eth0:vip' });

  it('adds and deletes with the argv of addressArgv', async () => {
    const { exec, calls } = fakeExec();
    const ip = new IpRoute(exec);
    await ip.add(VIP, 'eth0');
    await ip.del(VIP, 'eth0');
    expect(calls).toEqual([addressArgv('add', VIP, 'eth0'), addressArgv('del', VIP, 'eth0')]);
  });

  it.each<[string, 'add' | 'del', string]>([
    ['add of an address already there', 'add', 'RTNETLINK answers: File exists\n'],
    ['del of an address already gone', 'del', 'RTNETLINK answers: Cannot assign requested address\n'],
  ])('%s succeeds (idempotent)', async (_, op, stderr) => {
    const { exec } = fakeExec({ code: 2, stderr });
    await expect(new IpRoute(exec)[op](VIP, 'eth0')).resolves.toBeUndefined();
  });

  it.each<[string, 'add' | 'del', string]>([
    ['add on a missing device', 'add', 'Cannot find device "eth9"\n'],
    ['add answered with the del benign message', 'add', 'RTNETLINK answers: Cannot assign requested address\n'],
    ['del answered with the add benign message', 'del', 'RTNETLINK answers: File exists\n'],
    ['del without permission', 'del', 'RTNETLINK answers: Operation not permitted\n'],
  ])('%s throws KA_ERR_IP_FAILED', async (_, op, stderr) => {
    const { exec } = fakeExec({ code: 2, stderr });
    const err = await new IpRoute(exec)[op](VIP, 'eth0').catch((e: unknown) => e);
    expect(isKaError(err, 'KA_ERR_IP_FAILED')).toBe(true);
    expect((err as Error).message).toBe(`${addressArgv(op, VIP, 'eth0').join(' ')} exited 2: ${stderr.trim()}`);
  });

  it('reads links with `ip -j addr show`', async () => {
    const { exec, calls } = fakeExec({ stdout: IP_J_ADDR_SHOW });
    const ip = new IpRoute(exec);
    expect((await ip.links()).map((l) => l.name)).toEqual(['lo', 'ifb0', 'eth1', 'eth0']);
    expect(calls).toEqual([
      ['ip', '-j', 'addr', 'show'],
    ]);
  });

  it('a failing `ip -j addr show` throws KA_ERR_IP_FAILED', async () => {
    const { exec } = fakeExec({ code: 127, stderr: 'spawn ip ENOENT' });
    await expect(new IpRoute(exec).links()).rejects.toMatchObject({ code: 'KA_ERR_IP_FAILED', message: 'ip -j addr show exited 127: spawn ip ENOENT' });
  });
});
