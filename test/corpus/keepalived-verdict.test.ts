/**
 * Tests of the keepalived-verdict harness (test/corpus/keepalived-verdict.ts) on the real logs of the
 * shared corpus (`<repo>/../shared/corpus`, read at test time; the corpus tests are skipped when it is
 * absent).
 */

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CorpusSet, KaMessage, ManifestRow } from './keepalived-verdict.js';
import {
  classifyText,
  configPath,
  corpusDir,
  exitStatusClass,
  isHostMessage,
  keepalivedVerdict,
  logPath,
  messageFamilies,
  parseKeepalivedLog,
  readLog,
  readManifest,
} from './keepalived-verdict.js';

const dir = corpusDir();

/**
 * Files where our non-host message count intentionally differs from MANIFEST's n_non_host_messages
 * heuristic. Every other file must agree, on the count and on first_non_host_message.
 *
 * | reason        | what                                                                                      |
 * |---------------|-------------------------------------------------------------------------------------------|
 * | continuation  | `(I) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.` is followed by a |
 * |               | second line `        Please use global lvs_sync_daemon` (same prefix, text indented): one |
 * |               | message for us, two for MANIFEST. The line numbers are the same, so no verdict changes.    |
 * | security      | `SECURITY VIOLATION - scripts are being executed but script_security not enabled.` is a    |
 * |               | config fact for us (scripts configured without enable_script_security; it alone makes the |
 * |               | exit status 6); MANIFEST counts it as host. No line number, so only unlinedNonHost changes.|
 * | track-script  | `(I) track script S not found, ignoring...` after S was removed for a host reason (`Unable |
 * |               | to set default user for vrrp script S - removing`, or `Unable to set uid/gid for script`): |
 * |               | a host consequence for us. The line (the track_script entry) leaves nonHostLines.          |
 * | vmac          | `(I): Cannot use VMAC/ipvlan with unicast and no interface` where I's interface was        |
 * |               | reported missing: a host consequence for us (line 62 leaves nonHostLines).                 |
 * | include       | sync-group messages about routers that were defined in the missing include               |
 * |               | `/etc/keepalived/conf.d/*.conf`: host consequences for us (no line numbers).              |
 */
const disagreements: Readonly<Record<string, { ours: number; manifest: number; why: string }>> = {
  'real/atmos__keepalived_dot_conf__spec__fixtures__keepalived.conf': { ours: 74, manifest: 77, why: 'continuation (3 lines)' },
  'real/duben5945__www__keepalived__keepalived.conf': { ours: 98, manifest: 99, why: 'continuation' },
  'real/kbarber__puppetlabs-lvs__spec__test_data__augeas__etc__keepalived__keepalived.conf': { ours: 4, manifest: 5, why: 'continuation' },
  'real/sangrealest__shell__keepalived__vi_web.conf': { ours: 1, manifest: 2, why: 'continuation' },
  'real/mkoyan44__email__keepalived__keepalived.conf': { ours: 1, manifest: 2, why: 'continuation' },
  'upstream-samples/keepalived.conf.vrrp.lvs_syncd': { ours: 3, manifest: 4, why: 'continuation' },
  'real/7layer-org__7layer.org__keepalived__keepalived.conf': { ours: 1, manifest: 0, why: 'security' },
  'real/MX-Steve__nsd01__STEP04__lixin__04project__03__keepalived.conf': { ours: 7, manifest: 6, why: 'security' },
  'real/TakawatP__k0s-config__keepalived.conf': { ours: 4, manifest: 3, why: 'security' },
  'real/efim-a-efim__keepalived-cluster__keepalived.conf.pg-test-01': { ours: 2, manifest: 1, why: 'security' },
  'real/mehdy__keepalived-exporter__deployments__dev__keepalived.conf': { ours: 1, manifest: 0, why: 'security' },
  'real/posesco__proyecto_ha__haproxy__conf__keepalived__keepalived_server_a.conf': { ours: 1, manifest: 0, why: 'security' },
  'real/quydx__scripts__ha_keepalived__keepalived_backup.conf': { ours: 2, manifest: 1, why: 'security' },
  'real/richardkiene__redis-failover__keepalived.conf.master': { ours: 5, manifest: 4, why: 'security' },
  'templates/mmh__salt-galera-cluster__files__keepalived.conf': { ours: 12, manifest: 11, why: 'security' },
  'real/Rendanic__oracleToolbox__keepalived__keepalived.conf': { ours: 0, manifest: 1, why: 'track-script (default user)' },
  'real/jin7942__keepalived-tools__test__fixtures__valid-basic.conf': { ours: 2, manifest: 3, why: 'track-script (default user)' },
  'real/n0vabyte__Linode_Netv4_Keepalived__files__keepalived.conf': { ours: 2, manifest: 3, why: 'track-script (default user)' },
  'real/netfoundry__edge-router-health-checker__files__keepalived_master.conf': { ours: 0, manifest: 1, why: 'track-script (user ziggy)' },
  'real/mvh97hg__systems__keepalived__kamailio__keepalived.conf': { ours: 0, manifest: 1, why: 'vmac' },
  'real/sangrealest__shell__keepalived__keepalived.conf': { ours: 0, manifest: 10, why: 'include' },
};

/** [messages, logs containing the family, of those messages: host]. Mirrors the table in keepalived-verdict.ts. */
const familyCounts: Readonly<Record<string, readonly [number, number, number]>> = {
  'interface-missing': [105, 62, 105],
  'non-existent-interface': [64, 64, 64],
  'tracked-interface-missing': [23, 10, 23],
  'track-script-file-missing': [24, 15, 24],
  'script-user-missing': [16, 8, 16],
  'include-missing': [2, 2, 2],
  'iptables-unsupported': [2, 2, 2],
  'track-script-undefined': [7, 7, 4],
  'unknown-interface': [2, 2, 0],
  'vmac-no-interface': [1, 1, 1],
  'sync-group-missing-router': [10, 1, 10],
  'sync-group-small': [5, 4, 0],
  'script-security-violation': [9, 9, 0],
  'unknown-keyword': [731, 48, 0],
  'unexpected-token': [163, 16, 0],
  'extra-close-brace': [4, 1, 0],
  'missing-close-braces': [8, 2, 0],
  'missing-open-brace': [1, 1, 0],
  'block-extra-params': [2, 2, 0],
  'missing-parameter': [13, 13, 0],
  'unterminated-string': [1, 1, 0],
  'invalid-number': [27, 15, 0],
  'negative-number': [3, 1, 0],
  'number-out-of-range': [42, 13, 0],
  'value-invalid': [39, 11, 0],
  'value-out-of-bounds': [7, 5, 0],
  'invalid-prefix-len': [4, 4, 0],
  'invalid-virtual-server': [4, 3, 0],
  'invalid-value': [13, 9, 0],
  'invalid-ip-address': [24, 21, 0],
  'malformed-vrrp-address': [14, 7, 0],
  'unknown-routing-method': [4, 3, 0],
  deprecated: [38, 14, 0],
  'auth-pass-truncated': [24, 23, 0],
  'vrrp-instance-invalid': [40, 21, 0],
  'vrrp-no-vip': [18, 9, 0],
  'vrrp-instance-warning': [20, 13, 0],
  'vrrp-duplicate-instance': [1, 1, 0],
  'interface-name-too-long': [5, 4, 0],
  'default-interface-missing': [1, 1, 0],
  'route-untracked': [7, 4, 0],
  'rule-no-preference': [2, 1, 0],
  'routerid-missing': [2, 2, 0],
  'empty-block': [1, 1, 0],
  'virtual-server-default': [5, 5, 0],
  'virtual-server-warning': [5, 3, 0],
  'vrrp-script-invalid': [2, 2, 0],
};

/** keepalived -t exit statuses per set (MANIFEST.tsv). */
const exitDistribution: Readonly<Record<CorpusSet, Readonly<Record<number, number>>>> = {
  real: { 0: 11, 2: 6, 5: 95, 6: 8 },
  templates: { 2: 7, 5: 7, 6: 1, 139: 1 },
  'upstream-samples': { 0: 15, 5: 12 },
};

function countBy<T>(xs: readonly T[], key: (x: T) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) {
    const k = String(key(x));
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const summary = (m: KaMessage): [number | undefined, string, boolean] => [m.line, m.text, m.host];

describe('isHostMessage / classifyText (text only)', () => {
  it.each([
    ["WARNING - interface eno33554984 for vrrp_instance VI_1 doesn't exist", true],
    ["WARNING - interface eth1 for ip address 192.168.200.17 doesn't exist", true],
    ["WARNING - interface eth3 for VROUTE nexthop doesn't exist", true],
    ["WARNING - interface eth9 specified for garp_group doesn't exist", true],
    ['Non-existent interface specified in configuration', true],
    ["(VI_1) tracked interface eth1 doesn't exist", true],
    ['unknown interface eth7 specified for up/down delay', true],
    ['Disabling track script chk_haproxy since not found/accessible', true],
    ['Unable to set default user keepalived_script for script', true],
    ['Unable to set default user for vrrp script chk_nginx - removing', true],
    ['Error setting global script uid/gid', true],
    ["Unable to set uid/gid for script '/opt/netfoundry/erhchecker.pyz'", true],
    ["Config files missing '/etc/keepalived/conf.d/*.conf'.", true],
    ["iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option", true],
    ['SECURITY VIOLATION - scripts are being executed but script_security not enabled.', false],
    ['SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are insecure scripts.', false],
    ["Interface name 'KEEPALIVED_INTERFACE' too long - ignoring", false],
    ['(VI_1) Ignoring track_interface eth0 since own interface', false],
    ['Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking', false],
    ["WARNING - virtual server [39.98.74.46]:tcp:80 and real server [172.26.18.245]:tcp:3306 ports don't match - resetting", false],
    // context-dependent families are not host on their text alone
    ['(VI_1) track script chk_nginx not found, ignoring...', false],
    ['(KUBEAPI) Unknown interface!', false],
    ["Virtual router vi_ad specified in sync group VG_ALL doesn't exist - ignoring", false],
    ["Unknown keyword 'delay_loop'", false],
  ] as const)('%s -> %s', (text, host) => {
    expect(isHostMessage(text)).toBe(host);
  });

  it('names unknown texts "unclassified" (treated as config facts)', () => {
    expect(classifyText('something keepalived never printed').family.id).toBe('unclassified');
    expect(isHostMessage('something keepalived never printed')).toBe(false);
  });

  it('has unique family ids, all listed in the expected counts', () => {
    const ids = messageFamilies.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      [...Object.keys(familyCounts), 'routing-table-missing'].sort(),
    );
  });
});

describe('corpusDir', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ka-verdict-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('is undefined when there is no ../shared/corpus beside the root', () => {
    expect(corpusDir(path.join(tmp, 'clone'))).toBeUndefined();
  });

  it('finds <root>/../shared/corpus when it has a MANIFEST.tsv', () => {
    const c = path.join(tmp, 'shared', 'corpus');
    mkdirSync(c, { recursive: true });
    expect(corpusDir(path.join(tmp, 'clone'))).toBeUndefined();
    writeFileSync(path.join(c, 'MANIFEST.tsv'), 'x\n');
    expect(corpusDir(path.join(tmp, 'clone'))).toBe(c);
  });

  it('rejects a MANIFEST.tsv with unexpected columns', () => {
    const c = path.join(tmp, 'bad');
    mkdirSync(c, { recursive: true });
    writeFileSync(path.join(c, 'MANIFEST.tsv'), 'file\trepo\n');
    expect(() => readManifest(c)).toThrow(/unexpected header/);
  });
});

describe.skipIf(dir === undefined)('keepalived 2.2.7 verdicts (shared corpus)', () => {
  const corpus = dir ?? '';
  const rows: ManifestRow[] = dir === undefined ? [] : readManifest(corpus);
  const byFile = new Map(rows.map((r) => [r.file, r]));
  const row = (file: string): ManifestRow => {
    const r = byFile.get(file);
    if (!r) throw new Error(`not in MANIFEST.tsv: ${file}`);
    return r;
  };
  const verdictOf = (file: string) => keepalivedVerdict(row(file), readLog(corpus, row(file)));

  describe('MANIFEST.tsv', () => {
    it('has 163 rows in the three sets, each with its config file and log', () => {
      expect(rows).toHaveLength(163);
      expect(countBy(rows, (r) => r.set)).toEqual({ real: 120, templates: 16, 'upstream-samples': 27 });
      for (const r of rows) {
        expect(existsSync(configPath(corpus, r)), r.file).toBe(true);
        expect(existsSync(logPath(corpus, r)), r.file).toBe(true);
      }
    });

    it('has the expected exit statuses per set, all of a known class', () => {
      for (const set of ['real', 'templates', 'upstream-samples'] as const) {
        const got = countBy(
          rows.filter((r) => r.set === set),
          (r) => r.keepalivedExit,
        );
        expect(got, set).toEqual(exitDistribution[set]);
      }
      for (const r of rows) expect(exitStatusClass(r.keepalivedExit), r.file).not.toBe('other');
    });

    it('records the includes (both missing)', () => {
      const withIncludes = rows.filter((r) => r.includes.length > 0);
      expect(withIncludes.map((r) => [r.file, r.includes])).toEqual([
        ['real/sangrealest__shell__keepalived__keepalived.conf', [{ pattern: '/etc/keepalived/conf.d/*.conf', missing: true }]],
        [
          'real/adrienkohlbecker__homelab__roles__keepalived__files__keepalived.conf',
          [{ pattern: '/etc/keepalived/conf.d/*.conf', missing: true }],
        ],
      ]);
    });

    it('agrees with the logs on n_messages (all lines) and first_message', () => {
      for (const r of rows) {
        const lines = readLog(corpus, r)
          .split('\n')
          .filter((l) => l !== '');
        expect(lines.length, r.file).toBe(r.nMessages);
        expect((lines[0] ?? '').replace(/[\t\n]/g, ''), r.file).toBe(r.firstMessage);
      }
    });
  });

  describe('parseKeepalivedLog on real logs', () => {
    it('reads the three prefix forms', () => {
      const charnet = parseKeepalivedLog(readLog(corpus, row('real/charnet1019__keepalived-api__samples__keepalived.conf')));
      expect(charnet[0]).toEqual({
        line: 37,
        text: "invalid number 'SECS'",
        host: false,
        raw: "(Line 37) invalid number 'SECS'",
      });
      const heart = parseKeepalivedLog(readLog(corpus, row('real/HeartZhang__ha__keepalived.conf')));
      expect(heart[0]).toEqual({
        file: 'HeartZhang__ha__keepalived.conf',
        line: 34,
        text: "Unknown keyword 'nat_mask'",
        host: false,
        raw: "(HeartZhang__ha__keepalived.conf: Line 34) Unknown keyword 'nat_mask'",
      });
      expect(heart[heart.length - 1]).toEqual({
        text: 'Non-existent interface specified in configuration',
        host: true,
        raw: 'Non-existent interface specified in configuration',
      });
    });

    it('attaches the indented "Please use global lvs_sync_daemon" line to the previous message', () => {
      const msgs = parseKeepalivedLog(readLog(corpus, row('upstream-samples/keepalived.conf.vrrp.lvs_syncd')));
      expect(msgs.map(summary)).toEqual([
        [4, "Unknown keyword 'VI_2'", false],
        [5, "Unknown keyword 'VI_3'", false],
        [
          11,
          '(VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.\n        Please use global lvs_sync_daemon',
          false,
        ],
        [39, "WARNING - interface eth1 for vrrp_instance VI_3 doesn't exist", true],
        [undefined, 'Non-existent interface specified in configuration', true],
      ]);
      expect(msgs[2]?.raw.split('\n')).toHaveLength(2);
    });

    it('finds continuations only in the lvs_sync_daemon_interface deprecation (8 lines, 6 logs)', () => {
      let lines = 0;
      const logs = new Set<string>();
      for (const r of rows) {
        for (const m of parseKeepalivedLog(readLog(corpus, r))) {
          const extra = m.raw.split('\n').length - 1;
          if (extra === 0) continue;
          expect(m.text, r.file).toMatch(/^\(.*\) Specifying lvs_sync_daemon_interface against a vrrp is deprecated\.\n\s+Please use global lvs_sync_daemon$/);
          lines += extra;
          logs.add(r.file);
        }
      }
      expect([lines, logs.size]).toEqual([8, 6]);
    });

    it('keeps a non-UTF-8-looking value and an unterminated string intact', () => {
      const tg = parseKeepalivedLog(readLog(corpus, row('real/Tgentimc__keepalived_conf__keepalived.conf')));
      expect(tg.some((m) => m.text === "invalid number '100,主从要不一致'" && m.line === 33)).toBe(true);
      const alt = parseKeepalivedLog(readLog(corpus, row('templates/alterway__docker-keepalived__1.2__keepalived__10_keepalived.conf')));
      expect(alt.map(summary)).toEqual([[2, "String 'script   '$': missing terminating '", false]]);
    });

    it('treats the interfaces swallowed by an unclosed track_interface block as host facts, the block as config', () => {
      const v = verdictOf('real/lesaux__docker-keepalived__keepalived__keepalived.conf');
      expect(v.nonHostLines).toEqual([7, 13]);
      expect(v.hostMessages.map((m) => m.line)).toEqual([8, 8, 9, 10, undefined]);
    });
  });

  describe('context-dependent host consequences', () => {
    it('track script removed for lack of keepalived_script: host', () => {
      const v = verdictOf('real/jin7942__keepalived-tools__test__fixtures__valid-basic.conf');
      expect(v.hostMessages.map(summary)).toEqual([
        [14, 'Unable to set default user keepalived_script for script', true],
        [14, 'Unable to set default user for vrrp script chk_nginx - removing', true],
        [27, '(VI_1) track script chk_nginx not found, ignoring...', true],
      ]);
      expect(v.nonHostLines).toEqual([]);
      expect(v.unlinedNonHost).toEqual(['(VI_1) No VIP specified; at least one is sensible']);
    });

    it('track script removed because `user ziggy` does not exist: host', () => {
      const v = verdictOf('real/netfoundry__edge-router-health-checker__files__keepalived_master.conf');
      expect(v.nonHostLines).toEqual([]);
      expect(v.hostMessages).toHaveLength(5);
    });

    it('track script that was never defined or removed for a config reason: not host', () => {
      const typo = verdictOf('real/gzk2015__config__keepalived__keepalived.conf'); // `vvrp_script`
      expect(typo.nonHostLines).toContain(38);
      const placeholder = verdictOf('real/goncaloGIT__mykernelpanic__keepalived__keepalived.conf'); // track `script_name`
      expect(placeholder.nonHostLines).toContain(71);
      const noScript = verdictOf('upstream-samples/keepalived.conf.conditional_conf'); // No script set ... removing
      expect(noScript.nonHostLines).toEqual([13, 25]);
    });

    it('VMAC cleared because the instance interface is missing: host', () => {
      const v = verdictOf('real/mvh97hg__systems__keepalived__kamailio__keepalived.conf');
      expect(v.nonHostLines).toEqual([]);
      expect(v.hostMessages.map((m) => m.line)).toEqual([28, 32, 62, undefined]);
    });

    it('Unknown interface! after an over-long interface name: config', () => {
      const v = verdictOf('real/curx__keepalived-k8scp__1.3__overlay__etc__keepalived__keepalived.conf.tpl');
      expect(v.nonHostLines).toEqual([7, 14, 17]);
      expect(v.unlinedNonHost).toEqual(['(KUBEAPI) Unknown interface!']);
      expect(v.hostMessages).toEqual([]);
    });

    it('sync group members that lived in the missing include: host', () => {
      const v = verdictOf('real/sangrealest__shell__keepalived__keepalived.conf');
      expect(v.nonHostLines).toEqual([]);
      expect(v.unlinedNonHost).toEqual([]);
      expect(v.hostMessages).toHaveLength(11);
      expect(v.exit).toBe(5);
    });

    it('SECURITY VIOLATION: config (exit 6)', () => {
      const v = verdictOf('real/7layer-org__7layer.org__keepalived__keepalived.conf');
      expect(v).toMatchObject({
        exit: 6,
        nonHostLines: [],
        hostMessages: [],
        unlinedNonHost: ['SECURITY VIOLATION - scripts are being executed but script_security not enabled.'],
      });
    });
  });

  describe('keepalivedVerdict', () => {
    it('sorts and de-duplicates line numbers across passes', () => {
      const v = verdictOf('real/HeartZhang__ha__keepalived.conf');
      expect(v).toMatchObject({ exit: 5, nonHostLines: [34, 35, 47, 56], unlinedNonHost: [] });
      expect(v.hostMessages.map((m) => m.line)).toEqual([17, undefined]);
    });

    it('de-duplicates unlined messages printed once per pass', () => {
      const v = verdictOf('real/richardkiene__redis-failover__keepalived.conf.master');
      expect(v.unlinedNonHost).toEqual([
        'SECURITY VIOLATION - scripts are being executed but script_security not enabled.',
        '(VI_ETH0) No VIP specified; at least one is sensible',
        '(VI_ETH0) Warning - nopreempt will not work with initial state MASTER - clearing',
      ]);
    });

    it('handles every corpus file (all messages name the file itself), with the empty logs clean', () => {
      for (const r of rows) {
        const v = keepalivedVerdict(r, readLog(corpus, r));
        expect(v.exit, r.file).toBe(r.keepalivedExit);
        if (v.messages.length === 0) expect(r.keepalivedExit, r.file).toBe(0);
        // nothing non-host is lost: every non-host message is either lined or unlined
        for (const m of v.messages) {
          if (m.host) expect(v.hostMessages, r.file).toContain(m);
          else if (m.line !== undefined) expect(v.nonHostLines, r.file).toContain(m.line);
          else expect(v.unlinedNonHost, r.file).toContain(m.text);
        }
      }
    });

    it('rejects messages about another file', () => {
      const r = row('real/HeartZhang__ha__keepalived.conf');
      expect(() => keepalivedVerdict(r, "(other.conf: Line 3) Unknown keyword 'x'\n")).toThrow(/another file/);
    });
  });

  describe('message families over all 163 logs', () => {
    it('classifies every message, with the documented counts', () => {
      const got: Record<string, [number, Set<string>, number]> = {};
      for (const r of rows) {
        for (const m of parseKeepalivedLog(readLog(corpus, r))) {
          const id = classifyText(m.text).family.id;
          const e = (got[id] ??= [0, new Set<string>(), 0]);
          e[0] += 1;
          e[1].add(r.file);
          if (m.host) e[2] += 1;
        }
      }
      expect(got['unclassified']).toBeUndefined();
      const flat = Object.fromEntries(Object.entries(got).map(([k, [n, logs, host]]) => [k, [n, logs.size, host]]));
      expect(flat).toEqual(familyCounts);
    });
  });

  describe('non-host message count vs MANIFEST n_non_host_messages', () => {
    it('agrees on every file except the documented disagreements', () => {
      const mismatches: string[] = [];
      for (const r of rows) {
        const msgs = parseKeepalivedLog(readLog(corpus, r));
        const ours = msgs.filter((m) => !m.host).length;
        const d = disagreements[r.file];
        if (d) {
          if (r.nNonHostMessages !== d.manifest || ours !== d.ours) {
            mismatches.push(`${r.file}: ours ${ours} (table ${d.ours}), MANIFEST ${r.nNonHostMessages} (table ${d.manifest})`);
          }
          continue;
        }
        if (ours !== r.nNonHostMessages) mismatches.push(`${r.file}: ours ${ours}, MANIFEST ${r.nNonHostMessages}`);
        const first = msgs.find((m) => !m.host);
        const firstRaw = first ? (first.raw.split('\n')[0] ?? '').replace(/\t/g, '') : '';
        if (firstRaw !== r.firstNonHostMessage) {
          mismatches.push(`${r.file}: first non-host '${firstRaw}', MANIFEST '${r.firstNonHostMessage}'`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('lists only corpus files in the disagreement table', () => {
      for (const f of Object.keys(disagreements)) expect(byFile.has(f), f).toBe(true);
      expect(countBy(Object.values(disagreements), (d) => d.why.split(' ')[0] ?? '')).toEqual({
        continuation: 6,
        security: 9,
        'track-script': 4,
        vmac: 1,
        include: 1,
      });
    });

    it('continuation disagreements are exactly the continuation lines', () => {
      for (const [file, d] of Object.entries(disagreements)) {
        if (!d.why.startsWith('continuation')) continue;
        const msgs = parseKeepalivedLog(readLog(corpus, row(file)));
        const continuationLines = msgs.reduce((n, m) => n + m.raw.split('\n').length - 1, 0);
        expect(d.ours + continuationLines, file).toBe(d.manifest);
      }
    });
  });
});
