import { describe, expect, it } from 'vitest';
import { memoryFs } from '../../testing/memory-fs.js';
import { pinnedHost, readConfig } from '../index.js';

const run = (text: string, interfaces: readonly string[] = ['lo', 'eth0']) =>
  readConfig({
    path: '/k.conf',
    configId: 'x',
    cwd: '/',
    fs: memoryFs({ '/k.conf': text }),
    host: pinnedHost({ interfaces, files: { '/bin/true': {} } }),
  });
const msgs = (text: string, interfaces?: readonly string[]) =>
  run(text, interfaces).diagnostics.filter((d) => d.kaClass !== 'OK').map((d) => [d.loc?.line ?? null, d.message]);
const inst = (body: string, vips = '10.0.0.1') =>
  `vrrp_instance VI {\n interface eth0\n virtual_router_id 51\n${body}\n virtual_ipaddress {\n  ${vips}\n }\n}\n`;

describe('vrrp_instance keywords (keepalived-config.md §8.1)', () => {
  it('applies keepalived defaults', () => {
    const r = run(inst(''));
    expect(r.exitCode).toBe(0);
    const v = r.config.vrrp.instances[0];
    expect(v).toMatchObject({ vrid: 51, priority: 100, state: 'BACKUP', advertIntervalMs: 1000, version: 2, family: 'inet', preempt: true, accept: true, unicastTtl: 255, mcastDstIp: '224.0.0.18' });
    expect(v?.vips[0]).toMatchObject({ address: '10.0.0.1', prefix: 32 });
  });

  it.each([
    [' priority 300', [[4, "number '300' outside range [1, 255]"], [4, '(VI) Priority not valid! must be between 1 & 255. Using default 100']]],
    [' virtual_router_id 0', [[4, "number '0' outside range [1, 255]"], [4, "(VI): VRID '0' not valid - must be between 1 & 255"]]],
    [' state FOO', [[4, "(VI) unknown state 'FOO', defaulting to BACKUP"]]],
    [' state MASTER\n state BACKUP', [[5, '(VI) state previously set as MASTER - ignoring BACKUP']]],
    [' advert_int 0', [[4, "number '0' outside range [0.010000, 255.000000]"], [4, '(VI) Advert interval (0) not valid! Must be > 0 - ignoring']]],
    [' version 4', [[4, "number '4' outside range [2, 3]"], [4, '(VI): Version must be either 2 or 3']]],
    [' garp_master_repeat 0', [[4, '(VI): garp_master_repeat must be greater than 0, setting to 1']]],
    [' vmac_garp_intvl 5', [[4, 'Keyword "vmac_garp_intvl" is deprecated - please use "garp_extra_if"']]],
    [' linkbeat_use_polling', [[4, "(VI) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block"]]],
    [' authentication {\n  auth_type PASS\n  auth_pass 123456789\n }', [[6, 'Truncating auth_pass to 8 characters']]],
    [' bogus_kw', [[4, "Unknown keyword 'bogus_kw'"]]],
  ])('%j', (body, want) => {
    expect(msgs(inst(body))).toEqual(want);
  });

  it('unicast_ttl without peers is reset at the end of the block', () => {
    // keepalived reports this at the closing '}' line (vrrp_end_handler); the engine gives the opening line for now.
    expect(msgs(inst(' unicast_ttl 5')).map(([, m]) => m)).toEqual(['(VI): Cannot use unicast_ttl without unicast peers - resetting']);
  });

  it('keepalived compat: a track_script whose vrrp_script was dropped for a missing user is a host fact', () => {
    const scripts =
      'global_defs {\n enable_script_security\n}\n' +
      'vrrp_script gone {\n script /bin/true\n}\n' +
      'vrrp_script alsogone {\n script /bin/true\n user nosuchuser\n}\n';
    const body = ' track_script {\n  gone\n  alsogone\n  typo\n }';
    const ds = run(scripts + inst(body)).diagnostics.filter((d) => / track script \S+ not found/.test(d.message));
    expect(ds.map((d) => [d.message, d.host ?? false])).toEqual([
      ['(VI) track script gone not found, ignoring...', true],
      ['(VI) track script alsogone not found, ignoring...', true],
      ['(VI) track script typo not found, ignoring...', false],
    ]);
  });

  it('keepalived compat: VMAC with unicast and no interface is a host fact when the interface is missing on the host', () => {
    const body = (ifname: string) =>
      `vrrp_instance VI {\n interface ${ifname}\n virtual_router_id 51\n use_vmac\n unicast_peer {\n  10.0.0.2\n }\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n`;
    const vmac = (text: string) => run(text).diagnostics.find((d) => d.message.includes('Cannot use VMAC/ipvlan with unicast'));
    expect(vmac(body('ens99'))?.host).toBe(true);
    expect(vmac(body('lo'))?.host).toBeFalsy();
  });

  it('keepalived compat: state MASTER without priority gives priority 255', () => {
    expect(run(inst(' state MASTER')).config.vrrp.instances[0]?.priority).toBe(255);
  });

  it('keepalived compat: advert_int 0.5 with VRRPv2 is rounded with an error', () => {
    const r = run(inst(' advert_int 0.5'));
    expect(r.diagnostics.map((d) => d.message)).toContain('(VI) VRRPv2 advertisement interval 0.500000s must be an integer. rounding');
    expect(r.config.vrrp.instances[0]?.advertIntervalMs).toBe(1000);
  });

  it('keepalived compat: skip_check_adv_addr off still sets the flag', () => {
    expect(run(inst(' skip_check_adv_addr off')).config.vrrp.instances[0]?.skipCheckAdvAddr).toBe(true);
  });

  it('missing parameter aborts with status 2 (§1.7)', () => {
    const r = run('vrrp_instance VI {\n interface\n}\n');
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.at(-1)?.loc?.line).toBe(2);
  });
});

describe('validation (keepalived: vrrp_complete_init)', () => {
  it('keepalived compat: a missing interface stops validation (BAD_IF after the warning)', () => {
    const r = run('vrrp_instance A {\n interface ens33\n}\n');
    expect(r.diagnostics.map((d) => [d.kaClass, d.message])).toEqual([
      ['GENERAL_ERROR', 'WARNING - interface ens33 for vrrp_instance A doesn\'t exist'],
      ['BAD_IF', 'Non-existent interface specified in configuration'],
    ]);
    expect(r.exitCode).toBe(5);
  });

  it('keepalived compat: duplicate VRID on one interface', () => {
    const text = inst('').replace('VI', 'A') + inst('').replace('VI', 'B');
    expect(msgs(text)).toEqual([[null, 'A and B both use VRID 51 with IPv4 on interface eth0']]);
  });

  it('keepalived compat: an instance without interface fails chk_min_cfg', () => {
    expect(msgs('vrrp_instance A {\n virtual_router_id 5\n unicast_src_ip 10.0.0.1\n unicast_peer {\n 10.0.0.2\n }\n}\n')).toEqual([[null, '(A) Unknown interface!']]);
  });

  it('vrid must be set', () => {
    expect(msgs('vrrp_instance A {\n interface eth0\n}\n')).toEqual([[null, '(A) the virtual router id must be set']]);
  });

  it('no VIP is sensible (v2) and required (v3)', () => {
    expect(msgs('vrrp_instance A {\n interface eth0\n virtual_router_id 1\n}\n')).toContainEqual([null, '(A) No VIP specified; at least one is sensible']);
    expect(msgs('vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n}\n')).toEqual([[null, '(A) No VIP specified; at least one is required']]);
  });

  it('unicast keyword without peers is deprecated', () => {
    const r = run(inst(' unicast_src_ip 10.0.0.5'));
    expect(r.diagnostics.map((d) => d.kaClass)).toEqual(['DEPRECATED']);
  });

  it('sync group with one member', () => {
    const text = `${inst('')}vrrp_sync_group G {\n group {\n  VI\n }\n}\n`;
    expect(msgs(text)).toEqual([[null, "Sync group G has only 1 virtual router(s) - this probably isn't what you want"]]);
  });
});

describe('address lines (§8.3)', () => {
  it.each([
    ['10.0.0.300', [[6, 'VRRP parsed invalid IP 10.0.0.300. skipping IP...']]],
    ['10.0.0.5/33', [[6, "number '33' outside range [0, 32]"], [6, 'Invalid address prefix len 33 for address 10.0.0.5/33 - using 32']]],
    ['10.0.0.1 10.0.0.9', [[6, "Unknown configuration entry '10.0.0.9' for ip address - ignoring"]]],
    ['10.0.0.1 dev', [[6, 'No dev parameter specified for 10.0.0.1']]],
  ])('%j', (vip, want) => {
    expect(msgs(inst('', vip)).filter(([, m]) => !String(m).includes('No VIP'))).toEqual(want);
  });

  it('brd + sets host bits', () => {
    expect(run(inst('', '10.1.2.3/24 brd +')).config.vrrp.instances[0]?.vips[0]?.broadcast).toBe('10.1.2.255');
  });
});

describe('tracking (§6, §8.5)', () => {
  it('keepalived compat: vrrp_script weight out of range is reported but kept', () => {
    const r = run(`vrrp_script chk {\n script "/bin/true"\n weight 300\n}\n${inst(' track_script {\n  chk\n }')}`);
    expect(r.diagnostics.filter((d) => d.loc?.line === 3).map((d) => d.message)).toEqual([
      "number '300' outside range [-253, 253]",
      'vrrp_script chk weight 300 must be in [-253, 253]',
    ]);
    expect(r.config.vrrp.scripts[0]?.weight).toBe(300);
  });

  it('unknown track script', () => {
    expect(msgs(inst(' track_script {\n  nope\n }'))).toEqual([[5, '(VI) track script nope not found, ignoring...']]);
  });

  it('track_interface weight 254 becomes 253', () => {
    const r = run(inst(' track_interface {\n  lo weight 254\n }'));
    expect(r.config.vrrp.instances[0]?.trackInterfaces).toEqual([{ name: 'lo', weight: 253, reverse: false }]);
  });

  it('track_file definition defaults to weight 1', () => {
    const r = run(`track_file tf {\n file /tmp/x\n}\n${inst(' track_file {\n  tf weight 0\n }')}`);
    expect(r.config.trackFiles.get('tf')).toMatchObject({ file: '/tmp/x', weight: 1 });
    expect(r.config.vrrp.instances[0]?.trackFiles).toEqual([{ name: 'tf', weight: 0, reverse: false }]);
  });
});

describe('track_file init_file (keepalived: track_file_end_handler)', () => {
  const withFiles = (text: string, files: NonNullable<Parameters<typeof pinnedHost>[0]['files']>) =>
    readConfig({ path: '/k.conf', configId: 'x', cwd: '/', fs: memoryFs({ '/k.conf': text }), host: pinnedHost({ files }) });
  const tf = (name: string, file: string, init: string) => `track_file ${name} {\n file ${file}\n init_file ${init}\n}\n`;

  it('-t reports an `overwrite` path that is not a regular file, at the block\'s }, as a host fact', () => {
    const r = withFiles(tf('tf', '/srv/adir', '5 overwrite'), { '/srv/adir': { isFile: false } });
    const d = r.diagnostics.filter((x) => x.kaClass !== 'OK');
    expect(d.map((x) => [x.loc?.line, x.message, x.host, x.severity])).toEqual([
      [4, 'Cannot initialise track file tf - it is not a regular file', true, 'error'],
    ]);
    expect(r.exitCode).toBe(5); // keepalived 2.2.7 -t: the same line (once per pass), exit 5
  });

  it('no message for a regular file, a missing path, or without `overwrite`', () => {
    const files = { '/srv/reg': {}, '/srv/adir': { isFile: false } };
    for (const text of [tf('a', '/srv/reg', 'overwrite'), tf('b', '/srv/missing', '1 overwrite'), tf('c', '/srv/adir', '2')])
      expect(withFiles(text, files).diagnostics.filter((x) => x.kaClass !== 'OK')).toEqual([]);
  });

  it('every block with init_file is listed for the daemon, a repeated name too; lookups keep the first', () => {
    const r = withFiles(`${tf('tf', '/srv/one', '1')}${tf('tf', '/srv/two', '2 overwrite')}track_file other {\n file /srv/x\n}\n`, {});
    expect(r.config.trackFileInits).toEqual([
      { name: 'tf', file: '/srv/one', init: { value: 1, overwrite: false } },
      { name: 'tf', file: '/srv/two', init: { value: 2, overwrite: true } },
    ]);
    expect(r.config.trackFiles.get('tf')?.file).toBe('/srv/one');
  });
});

describe('static blocks (§5)', () => {
  it('route without dev is not tracked', () => {
    expect(msgs('static_routes {\n 10.0.0.0/8 via 192.168.1.1\n}\n')).toEqual([
      [2, 'Warning - cannot track route 10.0.0.0/8 with no interface specified, not tracking'],
    ]);
  });
  it('rule without preference', () => {
    expect(msgs('static_rules {\n from 10.0.0.0/8 table 100\n}\n')).toEqual([
      [2, 'Rule has no preference specified - setting to 16384. This is probably not what you want.'],
    ]);
  });
  it('keepalived compat: unknown interface for up/down delay is FATAL (exit 4)', () => {
    const r = run('interface_up_down_delays {\n nosuch 2\n}\n');
    expect(r.diagnostics.map((d) => d.kaClass)).toEqual(['FATAL']);
    expect(r.exitCode).toBe(4);
  });
});

describe('lvs_sync_daemon_interface', () => {
  it('keepalived compat: a global lvs_sync_daemon makes the instance keyword "already specified"', () => {
    const text =
      'global_defs {\n  lvs_sync_daemon eth0 VI_1\n}\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 9\n  lvs_sync_daemon_interface lo\n  virtual_ipaddress {\n    192.0.2.9\n  }\n}\n';
    expect(msgs(text)).toContainEqual([7, '(VI_1) lvs_sync_daemon_interface has already been specified as eth0 - ignoring']);
  });
});
