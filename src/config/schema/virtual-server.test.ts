import { describe, expect, it } from 'vitest';
import { memoryFs } from '../../testing/memory-fs.js';
import { pinnedHost, readConfig } from '../index.js';

const read = (text: string) =>
  readConfig({
    path: '/k.conf',
    configId: 'n',
    cwd: '/',
    fs: memoryFs({ '/k.conf': text }),
    host: pinnedHost({ files: { '/bin/true': {} } }),
  });
const msgs = (text: string) => read(text).diagnostics.map((d) => `${d.loc ? `${d.loc.line}: ` : ''}${d.message}`);
const vs = (body: string, rs = 'real_server 10.0.0.2 80 {\n}') =>
  `virtual_server 10.0.0.1 80 {\nlb_algo rr\nlb_kind NAT\nprotocol TCP\n${body}\n${rs}\n}\n`;

describe('virtual_server keywords', () => {
  it.each([
    ['delay_loop 6', { delayLoopMs: 6000 }],
    ['connect_timeout 1.5', { connectTimeoutMs: 1500 }],
    ['lvs_sched wrr', { scheduler: 'wrr' }],
    ['protocol udp', { protocol: 'UDP' }],
    ['persistence_timeout', { persistenceTimeoutS: 360 }],
    ['persistence_granularity 255.255.255.0', { persistenceTimeoutS: 360, persistenceGranularity: '255.255.255.0' }],
    ['quorum 1\nhysteresis 0', { quorum: 1, hysteresis: 0 }],
    ['weight 7', { weight: 7 }],
  ])('%s', (kw, want) => {
    const r = read(vs(kw));
    expect(r.config.lvs.virtualServers[0]).toMatchObject(want);
  });

  it.each([
    ['retry 0', ["5: number '0' outside range [1, 4294967295]", '5: retry value invalid - 0']],
    ['lb_algo foo', ["5: Invalid lvs_scheduler 'foo' - ignoring"]],
    ['lb_kind nat', ['5: PARSER : unknown [nat] routing method for virtual server.']],
    ['lvs_method TUN type gue', ['5: gue tunnels require port, otherwise cannot have port.']],
    ['sh-port', ['5: sh-port only applies to sh scheduler - ignoring']],
    ['sorry_server_inhibit', ['5: Ignoring sorry_server inhibit used before or without sorry_server']],
  ])('%s reports keepalived messages', (kw, want) => {
    expect(msgs(vs(kw))).toEqual(want);
  });

  it('keepalived compat: a timer with trailing junk is taken from its digits in µs under -t', () => {
    const r = read(vs('delay_loop 6s'));
    expect(r.config.lvs.virtualServers[0]?.delayLoopMs).toBe(0.006);
    expect(msgs(vs('delay_loop 6s'))).toEqual(["5: invalid number '6s'"]);
  });

  it('a missing address is a missing parameter (status 2)', () => {
    expect(read('virtual_server {\n}\n').exitCode).toBe(2);
  });
});

describe('validation (validate_check_config)', () => {
  it('defaults protocol, scheduler and method with errors', () => {
    const r = read('virtual_server 10.0.0.1 80 {\nreal_server 10.0.0.2 80 {\n}\n}\n');
    expect(r.exitCode).toBe(5);
    expect(msgs('virtual_server 10.0.0.1 80 {\nreal_server 10.0.0.2 80 {\n}\n}\n')).toEqual([
      'Virtual server [10.0.0.1]:none:80: no protocol set - defaulting to UDP',
      "Virtual server [10.0.0.1]:udp:80: no scheduler set, setting default 'wlc'",
      'Virtual server [10.0.0.1]:udp:80: no forwarding method set, setting default NAT',
    ]);
  });
  it('drops a virtual server without real servers', () => {
    const r = read(vs('', ''));
    expect(r.config.lvs.virtualServers).toEqual([]);
    expect(msgs(vs('', ''))).toEqual(['Virtual server [10.0.0.1]:tcp:80 has no real servers - ignoring']);
  });
  it('inherits VS → RS → checker', () => {
    const r = read(vs('retry 4\ndelay_loop 10\nweight 3\nalpha', 'real_server 10.0.0.2 {\nwarmup 2\nHTTP_GET {\nurl {\npath /\n}\n}\nMISC_CHECK {\nmisc_path /bin/true\nretry 9\n}\n}'));
    const rs = r.config.lvs.virtualServers[0]?.realServers[0];
    expect(rs).toMatchObject({ retry: 4, delayLoopMs: 10_000, weight: 3, alpha: true, warmupMs: 2000, addr: { port: 80 } });
    expect(rs?.checkers[0]).toMatchObject({ type: 'HTTP_GET', retry: 4, delayLoopMs: 10_000, warmupMs: 2000, delayBeforeRetryMs: 3000, alpha: true });
    expect(rs?.checkers[1]).toMatchObject({ type: 'MISC_CHECK', retry: 9 });
  });
  it('keepalived compat: nb_get_retry in HTTP_GET is applied with an error; at real_server level it is unknown', () => {
    const text = vs('', 'real_server 10.0.0.2 80 {\nnb_get_retry 3\nHTTP_GET {\nnb_get_retry 2\nurl {\npath /\n}\n}\n}');
    expect(msgs(text)).toEqual(["7: Unknown keyword 'nb_get_retry'", "9: nb_get_retry is deprecated - please use 'retry'"]);
    expect(read(text).config.lvs.virtualServers[0]?.realServers[0]?.checkers[0]?.retry).toBe(2);
  });
});

describe('checkers', () => {
  const chk = (body: string) => vs('', `real_server 10.0.0.2 80 {\n${body}\n}`);
  it.each([
    ['TCP_CHECK {\nconnect_port 99\n}', { type: 'TCP_CHECK', connection: { dst: { address: '10.0.0.2', port: 99 } }, retry: 1 }],
    ['DNS_CHECK {\ntype aaaa\n}', { type: 'DNS_CHECK', queryType: 'AAAA', name: '', retry: 3, delayBeforeRetryMs: 60_000 }],
    ['UDP_CHECK {\npayload Ab12f 3\n}', { type: 'UDP_CHECK', payload: [0xab, 0x12, 0x0f, 0x03], maxReplyLength: 255 }],
    ['SMTP_CHECK {\n}', { type: 'SMTP_CHECK', heloName: 'smtpchecker.keepalived.org', connection: { connectTimeoutMs: 5000 } }],
    ['HTTP_GET {\nurl {\npath /x\nstatus_code 200 300-302\n}\n}', { urls: [{ path: '/x', statusCodes: [[200, 200], [300, 302]] }] }],
  ])('%s', (body, want) => {
    expect(read(chk(body)).config.lvs.virtualServers[0]?.realServers[0]?.checkers[0]).toMatchObject(want);
  });
  it('HTTP_GET without urls is dropped', () => {
    const r = read(chk('HTTP_GET {\n}'));
    expect(r.config.lvs.virtualServers[0]?.realServers[0]?.checkers).toEqual([]);
  });
});

describe('virtual_server_group', () => {
  it('reads ranges, subnets and fwmarks', () => {
    const r = read('virtual_server_group G {\n10.1.0.10-20 80\n10.1.1.0/30 80\nfwmark 7 inet\n10.1.0.30-10.1.0.5 80\n}\n');
    const g = r.config.lvs.virtualServerGroups[0];
    expect(g?.entries).toEqual([
      { kind: 'range', start: { family: 'inet', address: '10.1.0.10', port: 80 }, end: { family: 'inet', address: '10.1.0.20', port: 80 } },
      { kind: 'range', start: { family: 'inet', address: '10.1.1.0', port: 80 }, end: { family: 'inet', address: '10.1.1.3', port: 80 } },
      { kind: 'fwmark', fwmark: 7, family: 'inet' },
    ]);
    expect(msgs('virtual_server_group G {\n10.1.0.30-10.1.0.5 80\n}\n')).toContain(
      '2: Address range end is less than address range start - 10.1.0.30-10.1.0.5 - skipping',
    );
  });
});

describe('number readers', () => {
  it.each([
    ['weight 007', { weight: 7 }],
    ['weight  7', { weight: 7 }],
    ['delay_loop 6', { delayLoopMs: 6000 }],
    ['delay_loop 06', { delayLoopMs: 6000 }],
    ['delay_loop 4294', { delayLoopMs: 4294000 }],
    ['connect_timeout 0000000001', { connectTimeoutMs: 1000 }],
  ])('%s (plain digits take the fast path)', (kw, want) => {
    expect(read(vs(kw)).config.lvs.virtualServers[0]).toMatchObject(want);
  });

  it.each([
    ['weight 4294967296', ["5: number '4294967296' outside unsigned integer range"]],
    ['weight 99999999999999999', ["5: number '99999999999999999' outside unsigned integer range"]],
    ['delay_loop 4294967296', ["5: number '4294967296' outside range [0.000001, 4294.967295]"]],
  ])('%s', (kw, want) => {
    expect(msgs(vs(kw)).slice(0, want.length)).toEqual(want);
  });
});
