// The lab harness itself, and the keepalived ↔ keepalived baseline that our daemon is later held to:
// two directors from the seed config (MASTER 100 on a, BACKUP 80 on b) on one bridge.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advertsFrom, expectCrashTakeover, garpsFrom, holders, vrrpHead } from './directors.js';
import {
  type Capture,
  createLab,
  keepalivedConf,
  keepalivedPath,
  type Lab,
  type LabProcess,
  labPrerequisites,
  removeAddress,
  startKeepalived,
  sweepStaleLabs,
  waitFor,
} from './lab.js';

const missing = labPrerequisites();
if (missing.length > 0) console.warn(`test/integration/lab.test.ts SKIPPED: ${missing.join('; ')}`);

const VIP = '192.0.2.100';

describe.skipIf(missing.length > 0)('lab: two keepalived 2.2.7 on a bridge', () => {
  let lab: Lab<'a' | 'b'>;
  let kaA: LabProcess;
  let kaB: LabProcess;
  let capture: Capture | undefined;

  beforeAll(async () => {
    sweepStaleLabs();
    lab = await createLab({ a: { address4: '192.0.2.11/24' }, b: { address4: '192.0.2.12/24' } });
  });
  afterAll(async () => {
    await capture?.stop().catch(() => undefined);
    await lab?.close();
  });

  it('hosts get their addresses at once, IPv6 not tentative, fixed MACs', async () => {
    const { a, b } = lab.hosts;
    expect(await a.addresses()).toEqual(expect.arrayContaining(['192.0.2.11/24', '2001:db8::11/64']));
    expect(await b.hasAddress('2001:DB8:0:0::12')).toBe(true);
    expect([a.mac, b.mac]).toEqual(['02:00:00:00:00:11', '02:00:00:00:00:12']);
    const link = JSON.parse((await b.exec(['ip', '-j', 'addr', 'show', 'dev', 'eth0'])).stdout) as { address: string; addr_info: { tentative?: boolean }[] }[];
    expect(link[0]?.address).toBe(b.mac);
    expect(link[0]?.addr_info.some((x) => x.tentative === true)).toBe(false);
  });

  it('setLink(false) takes the carrier away from eth0, setLink(true) gives it back', async () => {
    const { b } = lab.hosts;
    const flags = async () => (JSON.parse((await b.exec(['ip', '-j', 'link', 'show', 'dev', 'eth0'])).stdout) as { flags: string[] }[])[0]?.flags ?? [];
    try {
      await b.setLink(false);
      await waitFor(async () => (await flags()).includes('NO-CARRIER'), 2_000, 'b eth0 without carrier');
    } finally {
      await b.setLink(true);
    }
    await waitFor(async () => (await flags()).includes('LOWER_UP'), 2_000, 'b eth0 with carrier again');
  });

  it('keepalivedConf: the seed without virtual_server; each option edits its line; keepalived -t accepts it', async () => {
    const seed = keepalivedConf('c2', 'MASTER', 100);
    expect(seed).toMatch(/^global_defs \{\n  router_id c2\n  vrrp_mcast_group4 224\.0\.100\.100\n\}\nvrrp_instance VI_1 \{\n  state MASTER\n/);
    expect(seed).toMatch(/\n    192\.0\.2\.100\/24 dev eth0 label eth0:0\n  \}\n\}\n$/);
    expect(seed).not.toMatch(/virtual_server|real_server/);
    const conf = keepalivedConf('c5', 'BACKUP', 90, {
      vip: '2001:db8::100/64',
      version: 3,
      advertInt: 0.5,
      vrid: 7,
      authPass: false,
      unicastSrcIp: '2001:db8::12',
      unicastPeers: ['2001:db8::11'],
      mcastGroup4: '224.0.0.18',
      nopreempt: true,
      globalLines: ['vrrp_garp_master_delay 1'],
      instanceLines: ['garp_master_refresh 5'],
    });
    for (const line of ['  vrrp_mcast_group4 224.0.0.18\n  vrrp_garp_master_delay 1\n}', '  virtual_router_id 7\n', '  priority 90\n', '  advert_int 0.5\n', '    2001:db8::100/64 dev eth0\n']) {
      expect(conf).toContain(line);
    }
    expect(conf).toMatch(/  version 3\n  unicast_src_ip 2001:db8::12\n  unicast_peer \{\n    2001:db8::11\n  \}\n  nopreempt\n  garp_master_refresh 5\n\}\n$/);
    expect(conf).not.toMatch(/authentication|auth_pass|label/);
    const file = path.join(lab.hosts.b.tempDir(), 'keepalived.conf');
    writeFileSync(file, conf);
    const t = await lab.hosts.b.exec([keepalivedPath ?? 'keepalived', '-t', '-f', file]);
    expect(t.code, t.stderr).toBe(0);
  });

  it('IPv4 and IPv6 multicast cross the bridge', async () => {
    const { a, b } = lab.hosts;
    const rx = b.spawn([process.execPath, '-e', MCAST_RECEIVER]);
    try {
      await rx.waitForOutput(/ready4[\s\S]*ready6|ready6[\s\S]*ready4/, 5_000);
      const tx = await a.exec([process.execPath, '-e', MCAST_SENDER]);
      expect(tx.code, tx.stderr).toBe(0);
      await rx.waitForOutput(/got4 from 192\.0\.2\.11/, 2_000);
      await rx.waitForOutput(/got6 from fe80::ff:fe00:11/, 2_000);
    } finally {
      rx.kill('SIGKILL');
    }
  });

  it('a becomes MASTER: VRRPv2 adverts to 224.0.100.100 with TTL 255, then a GARP for the VIP', async () => {
    const { a, b } = lab.hosts;
    capture = await lab.capture();
    kaA = await startKeepalived(a, keepalivedConf('c2', 'MASTER', 100));
    kaB = await startKeepalived(b, keepalivedConf('c5', 'BACKUP', 80));
    await waitFor(async () => (await holders(lab.hosts, VIP)) === 'a', 8_000, 'the VIP on a only');
    await kaA.waitForOutput(/Sending gratuitous ARP on eth0 for 192\.0\.2\.100/, 2_000);
    const frames = await capture.stop();
    capture = undefined;

    const adverts = advertsFrom(frames, a.address4);
    expect(adverts.length).toBeGreaterThan(0);
    for (const f of adverts) {
      expect(f.ip).toMatchObject({ version: 4, dst: '224.0.100.100', ttl: 255 });
      expect(f.ethDst).toBe('01:00:5e:00:64:64');
      expect(vrrpHead(f)).toEqual({ version: 2, type: 1, vrid: 5, priority: 100 });
    }
    expect(garpsFrom(frames, a.mac, VIP).length).toBeGreaterThan(0);
    expect(advertsFrom(frames, b.address4)).toEqual([]);
    expect(kaB.output()).not.toMatch(/Entering MASTER STATE/);
  });

  it('SIGKILL on a: b takes over one master-down interval after the last advert, and sends a GARP', async () => {
    const { a, b } = lab.hosts;
    capture = await lab.capture();
    await new Promise((r) => setTimeout(r, 1_100)); // at least one advert from a in this capture
    kaA.kill('SIGKILL', 'group');
    await kaA.exited;
    await waitFor(async () => b.hasAddress(VIP), 6_000, 'the VIP on b');
    await kaB.waitForOutput(/Sending gratuitous ARP on eth0 for 192\.0\.2\.100/, 2_000);
    const frames = await capture.stop();
    capture = undefined;

    // The same oracle and window our daemon is held to in vrrp-failover.test.ts.
    expectCrashTakeover(frames, a, b, VIP);
  });

  it('a restarted with the higher priority preempts b', async () => {
    const { a, b } = lab.hosts;
    // The killed keepalived left its VIP on a; remove it so "the VIP on a" means the restart added it.
    await removeAddress(a, `${VIP}/24`);
    expect(await holders(lab.hosts, VIP)).toBe('b');
    capture = await lab.capture();
    const fromB = kaB.output().length;
    kaA = await startKeepalived(a, keepalivedConf('c2', 'MASTER', 100));
    await waitFor(async () => (await holders(lab.hosts, VIP)) === 'a', 8_000, 'the VIP back on a only');
    await kaB.waitForOutput(/Entering BACKUP STATE/, 1_000, fromB);
    await kaA.waitForOutput(/Sending gratuitous ARP on eth0 for 192\.0\.2\.100/, 2_000);
    const frames = await capture.stop();
    capture = undefined;

    const firstA = advertsFrom(frames, a.address4)[0];
    if (firstA === undefined) throw new Error('no advert from a after its restart');
    expect(vrrpHead(firstA).priority).toBe(100);
    expect(garpsFrom(frames, a.mac, VIP).filter((f) => f.tsUs >= firstA.tsUs).length).toBeGreaterThan(0);
    // b stops advertising once it has seen a's higher priority (allow one advert already in flight).
    expect(advertsFrom(frames, b.address4).filter((f) => f.tsUs > firstA.tsUs + 100_000)).toEqual([]);
  });
});

const MCAST_RECEIVER = `
const dgram = require('node:dgram');
for (const [type, group, iface, tag] of [['udp4', '224.0.100.100', '192.0.2.12', '4'], ['udp6', 'ff02::12', '::%eth0', '6']]) {
  const s = dgram.createSocket({ type, reuseAddr: true });
  s.on('message', (m, r) => console.log('got' + tag + ' from ' + r.address.replace(/%.*/, '')));
  s.bind(5405, () => { s.addMembership(group, iface); console.log('ready' + tag); });
}`;

const MCAST_SENDER = `
const dgram = require('node:dgram');
const send = (type, iface, dst) => new Promise((resolve, reject) => {
  const s = dgram.createSocket(type);
  s.bind(() => {
    s.setMulticastInterface(iface);
    s.send('probe', 5405, dst, (err) => { s.close(); err ? reject(err) : resolve(); });
  });
});
(async () => {
  for (let i = 0; i < 3; i++) {
    await send('udp4', '192.0.2.11', '224.0.100.100');
    await send('udp6', '::%eth0', 'ff02::12%eth0');
    await new Promise((r) => setTimeout(r, 50));
  }
})().catch((e) => { console.error(e); process.exit(1); });`;
