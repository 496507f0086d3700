/**
 * keepalived 2.2.7's verdicts on the shared corpus, as data for differential tests.
 *
 * The corpus lives beside the clone (`<repo>/../shared/corpus`) and is read at test time; it is never
 * copied into the project. Each corpus file has a row in `MANIFEST.tsv` (the exit status of
 * `keepalived -t -f FILE -l -D -n`) and the full output in `verdicts/<set>/<file>.log`.
 *
 * The verdict we compare against is:
 *   - the exit status (and its class, see `exitStatusClass`);
 *   - the sorted set of line numbers that carry a *non-host* message;
 *   - the non-host messages without a line number (whole-config validation), de-duplicated;
 *   - the host messages, kept apart so that a test can still report them.
 *
 * "Host" messages only reflect the machine the verdicts were taken on: it had only the interfaces `lo`
 * and `eth0`, no `keepalived_script` user (nor any other user named in the files), none of the check
 * scripts under `/etc/keepalived`, and no `/etc/keepalived/conf.d/`.
 *
 * ## Log format
 *
 * One message per line: `(FILE: Line N) text` (child passes, and the parent pass when several files are
 * involved), `(Line N) text` (parent pass, one file), or bare `text` (post-parse validation). keepalived
 * parses the file once per subsystem, so a message can appear up to four times (see the reference, §0).
 *
 * Continuation lines: keepalived 2.2.7 has no multi-line messages, but one message is written as two
 * `report_config_error` calls meant to be read as one (vrrp_parser.c:1221):
 *
 *     (F: Line 11) (VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.
 *     (F: Line 11)         Please use global lvs_sync_daemon
 *
 * The second call pads with `6 + strlen(iname) - 2` spaces, so its text starts with white space. A line
 * whose text (after any prefix) starts with white space is therefore a continuation and is attached to the
 * previous message. This is the only continuation in the 163 logs (8 lines in 6 logs). MANIFEST's
 * `n_messages` / `n_non_host_messages` count these lines as messages; we do not (see the test file).
 *
 * ## Message families (all 163 logs; `msgs` = messages, continuations attached; `logs` = logs containing it)
 *
 * host: `yes` = host fact; `no` = config fact; `ctx` = decided from the rest of the log (see below).
 * `M` = what MANIFEST's n_non_host_messages heuristic does, where it differs from us.
 *
 * | family id                   | example                                                                     | msgs | logs | host         |
 * |-----------------------------|-----------------------------------------------------------------------------|-----:|-----:|--------------|
 * | interface-missing           | WARNING - interface eth1 for vrrp_instance VI_1 doesn't exist (67 msgs),     |  105 |   62 | yes          |
 * |                             |   ... for ip address A doesn't exist (23), ... for VROUTE nexthop ... (15)   |      |      |              |
 * | non-existent-interface      | Non-existent interface specified in configuration                           |   64 |   64 | yes          |
 * | tracked-interface-missing   | (VI_1) tracked interface eth1 doesn't exist                                 |   23 |   10 | yes          |
 * | track-script-file-missing   | Disabling track script chk_haproxy since not found/accessible               |   24 |   15 | yes          |
 * | script-user-missing         | Unable to set default user keepalived_script for script (4); Unable to set  |   16 |    8 | yes          |
 * |                             |   default user for vrrp script S - removing (7); Error setting global script |      |      |              |
 * |                             |   uid/gid (4); Unable to set uid/gid for script CMD (1)                     |      |      |              |
 * | include-missing             | Config files missing '/etc/keepalived/conf.d/*.conf'.                       |    2 |    2 | yes          |
 * | iptables-unsupported        | iptables not supported, using nftables instead. Please replace ...          |    2 |    2 | yes          |
 * | routing-table-missing       | Routing table T not found for route                                         |    0 |    0 | yes          |
 * | track-script-undefined      | (VI_1) track script chk_nginx not found, ignoring...                        |    7 |    7 | ctx: 4 host (M: no) |
 * | unknown-interface           | (KUBEAPI) Unknown interface!                                                |    2 |    2 | ctx: 0 host  |
 * | vmac-no-interface           | (pbx_cloud): Cannot use VMAC/ipvlan with unicast and no interface - ...     |    1 |    1 | ctx: 1 host (M: no) |
 * | sync-group-missing-router   | Virtual router vi_ad specified in sync group VG_ALL doesn't exist - ignoring|   10 |    1 | ctx: 10 host (M: no) |
 * | sync-group-small            | Sync group VGM has only 1 virtual router(s) - this probably isn't what ...  |    5 |    4 | ctx: 0 host  |
 * | script-security-violation   | SECURITY VIOLATION - scripts are being executed but script_security not ... |    9 |    9 | no (M: yes)  |
 * | unknown-keyword             | Unknown keyword 'delay_loop'                                                |  731 |   48 | no           |
 * | unexpected-token            | Unexpected '{' - ignoring                                                   |  163 |   16 | no           |
 * | extra-close-brace           | Extra '}' found                                                             |    4 |    1 | no           |
 * | missing-close-braces        | There are 1 missing '}'s or extra '{'s                                      |    8 |    2 | no           |
 * | missing-open-brace          | Missing '{' at beginning of configuration block                             |    1 |    1 | no           |
 * | block-extra-params          | Block track_interface has extra parameters eth0 ...                         |    2 |    2 | no           |
 * | missing-parameter           | *** Configuration line starting `interface` is missing a parameter ... (2)  |   13 |   13 | no           |
 * | unterminated-string         | String 'script   '$': missing terminating '                                 |    1 |    1 | no           |
 * | invalid-number              | invalid number 'SECS'                                                       |   27 |   15 | no           |
 * | negative-number             | negative number '--PRIORITY--'                                              |    3 |    1 | no           |
 * | number-out-of-range         | number '0' outside range [1, 2678400]                                       |   42 |   13 | no           |
 * | value-invalid               | persistence_timeout invalid (24); vrrp_garp_interval 'x' is invalid (15)    |   39 |   11 | no           |
 * | value-out-of-bounds         | startup_script_timeout 'SECONDS' must be in [1, 1000] - ignoring; Quorum;   |    7 |    5 | no           |
 * |                             |   vrrp_script S weight W must be in [...]; vrrp script interval            |      |      |              |
 * | invalid-prefix-len          | Invalid address prefix len xx for address xxx.xxx.xxx.xxx/xx - using 32     |    4 |    4 | no           |
 * | invalid-virtual-server      | Invalid virtual server IP address/port fakevip/80 - skipping                |    4 |    3 | no           |
 * | invalid-value               | Invalid smtp server / lvs_scheduler / child_wait_time / startup script /    |   13 |    9 | no           |
 * |                             |   bindto address / persistence_granularity / rule to address               |      |      |              |
 * | invalid-ip-address          | VRRP parsed invalid IP <--VIP-->. skipping IP...                            |   24 |   21 | no           |
 * | malformed-vrrp-address      | Configuration error: VRRP instance[VI_1] malformed src address[@ip]. ...    |   14 |    7 | no           |
 * | unknown-routing-method      | PARSER : unknown [FNAT] routing method for virtual server.                  |    4 |    3 | no           |
 * | deprecated                  | nb_get_retry is deprecated - please use 'retry' (25); "gw"/"or" for routes  |   38 |   14 | no           |
 * |                             |   (3); (I) Specifying lvs_sync_daemon_interface ... (8, + continuation);   |      |      |              |
 * |                             |   (I) lvs_sync_daemon_interface has already been specified (2)             |      |      |              |
 * | auth-pass-truncated         | Truncating auth_pass to 8 characters                                        |   24 |   23 | no           |
 * | vrrp-instance-invalid       | (VI_1) unknown state / Priority not valid / VRID not valid / the virtual    |   40 |   21 | no           |
 * |                             |   router id must be set / unknown authentication type / track script option|      |      |              |
 * | vrrp-no-vip                 | (VI_1) No VIP specified; at least one is sensible                           |   18 |    9 | no           |
 * | vrrp-instance-warning       | (VI_1) Strict mode does not support authentication / State MASTER must ...  |   20 |   13 | no           |
 * |                             |   / nopreempt / AH / notify_* already specified / address_owner / own     |      |      |              |
 * |                             |   interface / unicast keyword without peers                                |      |      |              |
 * | vrrp-duplicate-instance     | vrrp instance VI_1 already defined                                          |    1 |    1 | no           |
 * | interface-name-too-long     | Interface name 'KEEPALIVED_INTERFACE' too long - ignoring                   |    5 |    4 | no           |
 * | default-interface-missing   | default_interface requires interface name                                   |    1 |    1 | no           |
 * | route-untracked             | Warning - cannot track route 192.168.112.0/24 with no interface specified.. |    7 |    4 | no           |
 * | rule-no-preference          | Rule has no preference specified - setting to 16384. ...                    |    2 |    1 | no           |
 * | routerid-missing            | routerid name missing - ignoring                                            |    2 |    2 | no           |
 * | empty-block                 | Warning - empty notification_email block                                    |    1 |    1 | no           |
 * | virtual-server-default      | Virtual server [192.168.1.188]:tcp:8000: no forwarding method set, ...      |    5 |    5 | no           |
 * | virtual-server-warning      | Warning: Virtual server FWM 1: protocol specified for fwmark ... / ports    |    5 |    3 | no           |
 * |                             |   don't match - resetting                                                  |      |      |              |
 * | vrrp-script-invalid         | No script set for vrrp_script S - removing / No script path ... MISC_CHECKER|    2 |    2 | no           |
 * | (total)                     | 1553 log lines = 1545 messages + 8 continuation lines; 25 logs are empty   | 1545 |  138 |              |
 *
 * (The counts are checked by the test file, so this table cannot drift from the corpus.)
 *
 * Families not seen in the corpus but classified anyway (from 2.2.7's sources): the other
 * `WARNING - interface X for/specified for ... doesn't exist` forms, `unknown interface X specified for
 * up/down delay | linkbeat interface`, `Disabling track script X due to insecure`, misc-checker script
 * users, `track file X is not accessible`, `Some config files missing`, `Routing table X not found`,
 * `VRF X not found` (host); `SECURITY VIOLATION - check scripts | start/shutdown scripts ...` (not host,
 * as for VRRP scripts). Anything matching no family is `unclassified` and treated as a config fact.
 *
 * ## Decisions
 *
 * - **Interfaces**: every "interface X doesn't exist" form is a host fact, even when X is a template
 *   placeholder (`INTERFACE`, `$`, `<--INTERFACE-->`) or a word swallowed by an unclosed
 *   `track_interface {` block (`{`, `authentication`): these are all valid Linux interface names, so on
 *   some host they would exist. The config error in the latter case is reported separately, on the
 *   `track_interface` line, by `Block track_interface has extra parameters`. `Interface name 'X' too
 *   long` is a config fact (IFNAMSIZ is fixed).
 *   Note the big host effect that cannot be seen line by line: once a VRRP interface is missing,
 *   keepalived 2.2.7 prints `Non-existent interface specified in configuration` and *skips the whole VRRP
 *   validation* (vrrp_daemon.c start_vrrp), so those 64 logs lack every VRRP post-parse message (No VIP,
 *   unicast peers, duplicate VRID, sync group sizes...). A reimplementation compared against them has to
 *   model that host fact too.
 * - **Script users and script files**: host facts (`keepalived_script`, `script_user ziggy`, the files
 *   under /etc/keepalived).
 * - **Script security (`SECURITY VIOLATION - scripts are being executed but script_security not
 *   enabled.`)**: a *config* fact. It is printed because the config runs scripts without
 *   `enable_script_security`; the host can only suppress it (when none of the scripts can be found). In
 *   the corpus every such file runs system binaries (`killall`, `pgrep`, `echo`, /etc/init.d/...). It is
 *   also the only message behind exit status 6, which is part of the verdict. MANIFEST counts it as host.
 *   (With `enable_script_security`, the *missing user* messages that follow are host facts.)
 * - **Context-dependent consequences** (`ctx`): a message that is normally a config fact but here only
 *   exists because of a host fact earlier in the same log is a host message:
 *   - `(I) track script S not found, ignoring...` when S was removed earlier for a host reason:
 *     `Unable to set default user for vrrp script S - removing`, or an `Unable to set uid/gid for script
 *     CMD` (which names the command, not S, so any such removal explains any later missing track
 *     script). Otherwise (`vvrp_script` typo, undefined name, `No script set for vrrp_script S`) it is a
 *     config fact;
 *   - `(I): Cannot use VMAC/ipvlan with unicast and no interface` and `(I) Unknown interface!` when
 *     instance I's `interface` was reported missing (`WARNING - interface X for vrrp_instance I doesn't
 *     exist`); after `Interface name too long` they are config facts;
 *   - sync-group membership messages (`Virtual router R specified in sync group G doesn't exist`,
 *     `Sync group G, no matching virtual router found ...`, `Sync group G has only N virtual router(s)`)
 *     when an `include` was reported missing: the routers were in the missing files.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------------
// Corpus location and MANIFEST.tsv

/** The repository root (this file is `<root>/test/corpus/keepalived-verdict.ts`). */
export function repoRoot(): string {
  return fileURLToPath(new URL('../..', import.meta.url));
}

/**
 * The shared corpus, `<repo root>/../shared/corpus`, or undefined when it is not there (the repository is
 * cloned with `shared/` beside it in CI; elsewhere the corpus tests are skipped).
 */
export function corpusDir(root: string = repoRoot()): string | undefined {
  const dir = path.resolve(root, '../shared/corpus');
  return existsSync(path.join(dir, 'MANIFEST.tsv')) ? dir : undefined;
}

export const corpusSets = ['real', 'templates', 'upstream-samples'] as const;
export type CorpusSet = (typeof corpusSets)[number];

export interface IncludeEntry {
  readonly pattern: string;
  /** keepalived reported `Config files missing` for it. */
  readonly missing: boolean;
}

export interface ManifestRow {
  /** Path inside the corpus, e.g. `real/owner__repo__keepalived.conf`. */
  readonly file: string;
  readonly set: CorpusSet;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  /** Exit status of `keepalived -t -f FILE -l -D -n` (2.2.7). */
  readonly keepalivedExit: number;
  /** First line keepalived printed ('' when none). */
  readonly firstMessage: string;
  readonly includes: readonly IncludeEntry[];
  /** MANIFEST's count: every output line, continuation lines included. */
  readonly nMessages: number;
  /** MANIFEST's heuristic count of non-host messages (continuation lines included). */
  readonly nNonHostMessages: number;
  readonly firstNonHostMessage: string;
  readonly source: string;
  readonly notes: string;
}

const manifestColumns = [
  'file',
  'repo',
  'path',
  'commit',
  'keepalived_t_exit',
  'first_message',
  'includes',
  'n_messages',
  'n_non_host_messages',
  'first_non_host_message',
  'source',
  'notes',
] as const;

function toInt(s: string, what: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`MANIFEST.tsv: ${what} is not a number: '${s}'`);
  return Number(s);
}

function parseIncludes(s: string): IncludeEntry[] {
  if (s === '' || s === '-') return [];
  // One entry per include directive; the separator is not documented, `;` is assumed.
  return s
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((e) => {
      const m = /^(.*?)\s*\(MISSING\)$/.exec(e);
      return m ? { pattern: m[1] ?? '', missing: true } : { pattern: e, missing: false };
    });
}

/** Parses `MANIFEST.tsv` (header checked) from a corpus directory. */
export function readManifest(dir: string): ManifestRow[] {
  const text = readFileSync(path.join(dir, 'MANIFEST.tsv'), 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const header = (lines[0] ?? '').split('\t');
  if (header.join('\t') !== manifestColumns.join('\t')) {
    throw new Error(`MANIFEST.tsv: unexpected header: ${header.join(', ')}`);
  }
  return lines.slice(1).map((line, i) => {
    const f = line.split('\t');
    if (f.length !== manifestColumns.length) {
      throw new Error(`MANIFEST.tsv row ${i + 2}: ${f.length} columns, expected ${manifestColumns.length}`);
    }
    const col = (k: number): string => f[k] ?? '';
    const file = col(0);
    const set = file.split('/')[0] ?? '';
    if (!(corpusSets as readonly string[]).includes(set)) {
      throw new Error(`MANIFEST.tsv row ${i + 2}: unknown set '${set}'`);
    }
    return {
      file,
      set: set as CorpusSet,
      repo: col(1),
      path: col(2),
      commit: col(3),
      keepalivedExit: toInt(col(4), 'keepalived_t_exit'),
      firstMessage: col(5),
      includes: parseIncludes(col(6)),
      nMessages: toInt(col(7), 'n_messages'),
      nNonHostMessages: toInt(col(8), 'n_non_host_messages'),
      firstNonHostMessage: col(9),
      source: col(10),
      notes: col(11),
    };
  });
}

/** Absolute path of a corpus config file. */
export function configPath(dir: string, row: ManifestRow): string {
  return path.join(dir, row.file);
}

/** Absolute path of keepalived's output for a corpus file. */
export function logPath(dir: string, row: ManifestRow): string {
  return path.join(dir, 'verdicts', `${row.file}.log`);
}

export function readLog(dir: string, row: ManifestRow): string {
  return readFileSync(logPath(dir, row), 'utf8');
}

// ---------------------------------------------------------------------------------------------------
// Exit status

export type ExitStatusClass = 'ok' | 'fatal-parse' | 'host-or-fatal' | 'errors' | 'security' | 'crash' | 'other';

/** keepalived 2.2.7 `-t` exit statuses (reference §12.2; 139 = SIGSEGV). */
export function exitStatusClass(status: number): ExitStatusClass {
  switch (status) {
    case 0:
      return 'ok';
    case 2:
      return 'fatal-parse';
    case 4:
      return 'host-or-fatal';
    case 5:
      return 'errors';
    case 6:
      return 'security';
    case 139:
      return 'crash';
    default:
      return 'other';
  }
}

// ---------------------------------------------------------------------------------------------------
// Message families

/** `yes`: host fact; `no`: config fact; `ctx`: config fact unless explained by a host fact in the log. */
export type HostKind = 'yes' | 'no' | 'ctx';

export interface MessageFamily {
  readonly id: string;
  readonly host: HostKind;
  /** Tested against the first line of the message text (without the `(FILE: Line N)` prefix). */
  readonly patterns: readonly RegExp[];
}

const I = String.raw`\((?<inst>[^)]*)\)`; // `(VI_1)` instance prefix, name captured

function re(src: string): RegExp {
  return new RegExp(src);
}

/** Ordered: the first family with a matching pattern wins. */
export const messageFamilies: readonly MessageFamily[] = [
  // ---- host facts
  {
    id: 'interface-missing',
    host: 'yes',
    patterns: [
      /^WARNING - interface \S* (?:for|specified for) .*doesn't exist$/,
      re(String.raw`^${I} WARNING - VRF interface \S* doesn't exist$`),
      /^unknown interface \S* specified for (?:up\/down delay|linkbeat interface)$/,
      /^VRF \S+ not found for route$/,
    ],
  },
  { id: 'non-existent-interface', host: 'yes', patterns: [/^Non-existent interface specified in configuration$/] },
  { id: 'tracked-interface-missing', host: 'yes', patterns: [re(String.raw`^${I} tracked interface .* doesn't exist$`)] },
  {
    id: 'track-script-file-missing',
    host: 'yes',
    patterns: [
      /^Disabling track script \S+ (?:since not found\/accessible|due to insecure)$/,
      /^track file \S+ is not accessible$/,
      // log_message() only in 2.2.7 (not shown by -t), kept for robustness
      /^(?:Cannot find script \S+ in path|Permissions failure for script \S+ in path) - disabling$/,
      /^Script \S+ cannot be accessed - /,
      /^WARNING - script '.*' is not executable for uid:gid /,
      /No such file or directory/,
    ],
  },
  {
    id: 'script-user-missing',
    host: 'yes',
    patterns: [
      /^Unable to set default user \S+ for script$/,
      /^Unable to set default user for (?:vrrp|misc) script .* - removing$/,
      /^Error setting global script uid\/gid$/,
      /^Unable to set uid\/gid for script /,
      /^Failed to set uid\/gid for misc checker script .* - removing$/,
    ],
  },
  {
    id: 'include-missing',
    host: 'yes',
    patterns: [/^Config files missing '.*'\.$/, /^Some config files missing/],
  },
  { id: 'iptables-unsupported', host: 'yes', patterns: [/^iptables not supported, using nftables instead\./] },
  { id: 'routing-table-missing', host: 'yes', patterns: [/^Routing table \S+ not found for (?:route|rule)$/] },

  // ---- config facts that may be consequences of a host fact
  { id: 'track-script-undefined', host: 'ctx', patterns: [re(String.raw`^${I} track script (?<script>\S+) not found, ignoring\.\.\.$`)] },
  { id: 'unknown-interface', host: 'ctx', patterns: [re(String.raw`^${I} Unknown interface!$`)] },
  {
    id: 'vmac-no-interface',
    host: 'ctx',
    patterns: [re(String.raw`^${I}: Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac$`)],
  },
  {
    id: 'sync-group-missing-router',
    host: 'ctx',
    patterns: [
      /^Virtual router \S+ specified in sync group \S+ doesn't exist - ignoring$/,
      /^Sync group \S+, no matching virtual router found in group declaration - removing$/,
    ],
  },
  { id: 'sync-group-small', host: 'ctx', patterns: [/^Sync group \S+ has only \d+ virtual router\(s\) - this probably isn't what you want$/] },

  // ---- config facts
  { id: 'script-security-violation', host: 'no', patterns: [/^SECURITY VIOLATION - (?:check |start\/shutdown )?scripts are being executed but script_security not enabled\./] },
  { id: 'unknown-keyword', host: 'no', patterns: [/^Unknown keyword '.*'$/] },
  { id: 'unexpected-token', host: 'no', patterns: [/^Unexpected '.*' - ignoring$/] },
  { id: 'extra-close-brace', host: 'no', patterns: [/^Extra '\}' found$/] },
  { id: 'missing-close-braces', host: 'no', patterns: [/^There are \d+ missing '\}'s or extra '\{'s$/] },
  { id: 'missing-open-brace', host: 'no', patterns: [/^Missing '\{' at beginning of configuration block$/] },
  { id: 'block-extra-params', host: 'no', patterns: [/^Block \S+ has extra parameters .* \.\.\.$/] },
  { id: 'missing-parameter', host: 'no', patterns: [/^\*\*\* Configuration line starting `.*` is missing a parameter /] },
  { id: 'unterminated-string', host: 'no', patterns: [/^String '.*': missing terminating .$/] },
  { id: 'invalid-number', host: 'no', patterns: [/^invalid number '.*'$/] },
  { id: 'negative-number', host: 'no', patterns: [/^negative number '.*'$/] },
  { id: 'number-out-of-range', host: 'no', patterns: [/^number '.*' outside range \[.*\]$/] },
  {
    id: 'value-invalid',
    host: 'no',
    patterns: [/^\S+ '.*' is invalid$/, /^persistence_timeout invalid$/],
  },
  {
    id: 'value-out-of-bounds',
    host: 'no',
    patterns: [
      /^\S+ '.*' must be in \[.*\] - ignoring$/,
      /^vrrp_script \S+ weight \S+ must be in \[.*\]$/,
      /^Quorum \S+ must be in \[.*\]\. Setting to \d+\.$/,
      re(String.raw`^${I}: vrrp script interval '.*' must be between \d+ and \d+ - ignoring$`),
    ],
  },
  { id: 'invalid-prefix-len', host: 'no', patterns: [/^Invalid address prefix len .* for address .* - using \d+$/] },
  {
    id: 'invalid-virtual-server',
    host: 'no',
    patterns: [/^Invalid virtual server IP address(?:\/port)? .* - skipping$/],
  },
  {
    id: 'invalid-value',
    host: 'no',
    patterns: [/^Invalid (?:smtp server|lvs_scheduler|child_wait_time|startup script|shutdown script|bindto address|IPv[46] persistence_granularity|rule to address)\b/],
  },
  { id: 'invalid-ip-address', host: 'no', patterns: [/^VRRP parsed invalid IP .*\. skipping IP\.\.\.$/] },
  {
    id: 'malformed-vrrp-address',
    host: 'no',
    patterns: [/^Configuration error: VRRP instance\[.*\] malformed (?:src|unicast peer) address\[.*\]\. Skipping\.\.\.$/],
  },
  { id: 'unknown-routing-method', host: 'no', patterns: [/^PARSER : unknown \[.*\] routing method for virtual server\.$/] },
  {
    id: 'deprecated',
    host: 'no',
    patterns: [
      /^\S+ is deprecated - please use '.*'$/,
      /^"\S+" for routes is deprecated\. Please use "\S+"$/,
      re(String.raw`^${I} Specifying lvs_sync_daemon_interface against a vrrp is deprecated\.`),
      re(String.raw`^${I} lvs_sync_daemon_interface has already been specified as \S+ - ignoring$`),
    ],
  },
  { id: 'auth-pass-truncated', host: 'no', patterns: [/^Truncating auth_pass to \d+ characters$/] },
  {
    id: 'vrrp-instance-invalid',
    host: 'no',
    patterns: [
      re(String.raw`^${I} unknown state '.*', defaulting to BACKUP$`),
      re(String.raw`^${I} Priority not valid! must be between \d+ & \d+\. Using default \d+$`),
      re(String.raw`^${I}: VRID '.*' not valid - must be between \d+ & \d+$`),
      re(String.raw`^${I} the virtual router id must be set$`),
      re(String.raw`^${I} unknown authentication type '.*'$`),
      re(String.raw`^${I} unknown track script option .* - ignoring$`),
    ],
  },
  { id: 'vrrp-no-vip', host: 'no', patterns: [re(String.raw`^${I} No VIP specified; at least one is sensible$`)] },
  {
    id: 'vrrp-instance-warning',
    host: 'no',
    patterns: [
      re(String.raw`^${I} Strict mode does not support authentication\. Ignoring\.$`),
      re(String.raw`^${I} State MASTER must match being address owner$`),
      re(String.raw`^${I} Warning - nopreempt will not work with initial state MASTER - clearing$`),
      re(String.raw`^${I} Initial state master is incompatible with AH authentication - clearing$`),
      re(String.raw`^${I} \S+ script already specified - ignoring `),
      re(String.raw`^${I} ignoring tracked script \S+ with weights due to address_owner$`),
      re(String.raw`^${I} Ignoring track_interface \S+ since own interface$`),
      re(String.raw`^${I} A unicast keyword has been specified without any unicast peers\.`),
    ],
  },
  { id: 'vrrp-duplicate-instance', host: 'no', patterns: [/^vrrp instance \S+ already defined$/] },
  { id: 'interface-name-too-long', host: 'no', patterns: [/^Interface name '.*' too long - ignoring$/] },
  { id: 'default-interface-missing', host: 'no', patterns: [/^default_interface requires interface name$/] },
  { id: 'route-untracked', host: 'no', patterns: [/^Warning - cannot track route \S+ with no interface specified, not tracking$/] },
  { id: 'rule-no-preference', host: 'no', patterns: [/^Rule has no preference specified - setting to \d+\./] },
  { id: 'routerid-missing', host: 'no', patterns: [/^routerid name missing - ignoring$/] },
  { id: 'empty-block', host: 'no', patterns: [/^Warning - empty \S+ block$/] },
  { id: 'virtual-server-default', host: 'no', patterns: [/^Virtual server \[.*\]:\S*: no (?:forwarding method|protocol) set, /] },
  {
    id: 'virtual-server-warning',
    host: 'no',
    patterns: [
      /^Warning: Virtual server FWM \d+: protocol specified for fwmark - protocol will be ignored$/,
      /^WARNING - virtual server \S+ and real server \S+ ports don't match - resetting$/,
    ],
  },
  {
    id: 'vrrp-script-invalid',
    host: 'no',
    patterns: [/^No script set for vrrp_script \S+ - removing$/, /^No script path has been specified for MISC_CHECKER - skipping$/],
  },
];

export const unclassifiedFamily: MessageFamily = { id: 'unclassified', host: 'no', patterns: [] };

export interface FamilyMatch {
  readonly family: MessageFamily;
  /** Named groups of the matching pattern (`inst`, `script`). */
  readonly groups: Readonly<Record<string, string>>;
}

/** The family of a message text (first line used; prefix already removed). */
export function classifyText(text: string): FamilyMatch {
  const head = text.split('\n', 1)[0] ?? '';
  for (const family of messageFamilies) {
    for (const p of family.patterns) {
      const m = p.exec(head);
      if (m) {
        const groups: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) groups[k] = v;
        return { family, groups };
      }
    }
  }
  return { family: unclassifiedFamily, groups: {} };
}

/**
 * True for messages that only reflect the host the verdicts were taken on, judged from the text alone.
 * Context-dependent families (`ctx`) are false here; `parseKeepalivedLog` settles them with the log.
 */
export function isHostMessage(text: string): boolean {
  return classifyText(text).family.host === 'yes';
}

// ---------------------------------------------------------------------------------------------------
// Log parsing

export interface KaMessage {
  /** File named in the `(FILE: Line N)` prefix. */
  file?: string;
  line?: number;
  /** Message text without the prefix; continuation lines are appended after `\n`, as printed. */
  text: string;
  host: boolean;
  /** The log line(s), joined with `\n`. */
  raw: string;
}

const prefixRe = /^\((?:(?<file>[^()]*?): )?Line (?<line>\d+)\) (?<text>.*)$/s;

interface SplitLine {
  file?: string;
  line?: number;
  text: string;
}

function splitLine(raw: string): SplitLine {
  const m = prefixRe.exec(raw);
  const g = m?.groups;
  if (!g) return { text: raw };
  const out: SplitLine = { line: Number(g['line']), text: g['text'] ?? '' };
  if (g['file'] !== undefined) out.file = g['file'];
  return out;
}

/** A continuation line: its text starts with white space (see the file comment). */
function isContinuation(s: SplitLine): boolean {
  return /^\s/.test(s.text);
}

/**
 * The messages of one `keepalived -t` output, continuation lines attached to the previous message, each
 * marked host or not (text first, then the context rules described at the top of this file).
 */
export function parseKeepalivedLog(text: string): KaMessage[] {
  const out: KaMessage[] = [];
  for (const rawLine of text.split('\n')) {
    const raw = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (raw === '') continue;
    const s = splitLine(raw);
    const prev = out[out.length - 1];
    if (prev && isContinuation(s)) {
      prev.text += `\n${s.text}`;
      prev.raw += `\n${raw}`;
      continue;
    }
    const msg: KaMessage = { text: s.text, host: false, raw };
    if (s.file !== undefined) msg.file = s.file;
    if (s.line !== undefined) msg.line = s.line;
    out.push(msg);
  }
  classifyInContext(out);
  return out;
}

function classifyInContext(msgs: KaMessage[]): void {
  const removedScripts = new Set<string>(); // vrrp_scripts removed for a host reason, by name
  let unnamedScriptRemoved = false; // `Unable to set uid/gid for script CMD`: names the command only
  const instancesWithoutInterface = new Set<string>();
  let includeMissing = false;

  for (const msg of msgs) {
    const { family, groups } = classifyText(msg.text);
    if (family.host === 'yes') {
      msg.host = true;
      let m: RegExpExecArray | null;
      if ((m = /^Unable to set default user for vrrp script (.*) - removing$/.exec(msg.text))) removedScripts.add(m[1] ?? '');
      else if (/^Unable to set uid\/gid for script /.test(msg.text)) unnamedScriptRemoved = true;
      else if ((m = /^WARNING - interface \S* for vrrp_instance (.*) doesn't exist$/.exec(msg.text))) {
        instancesWithoutInterface.add(m[1] ?? '');
      } else if (family.id === 'include-missing') includeMissing = true;
      continue;
    }
    if (family.host === 'no') {
      msg.host = false;
      continue;
    }
    switch (family.id) {
      case 'track-script-undefined': {
        const script = groups['script'] ?? '';
        msg.host = removedScripts.has(script) || unnamedScriptRemoved;
        break;
      }
      case 'unknown-interface':
      case 'vmac-no-interface':
        msg.host = instancesWithoutInterface.has(groups['inst'] ?? '');
        break;
      case 'sync-group-missing-router':
      case 'sync-group-small':
        msg.host = includeMissing;
        break;
      default:
        msg.host = false;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Verdict

export interface KeepalivedVerdict {
  /** keepalived's exit status (from MANIFEST.tsv). */
  readonly exit: number;
  /** Sorted unique line numbers carrying at least one non-host message. */
  readonly nonHostLines: number[];
  /** Host messages, in log order. */
  readonly hostMessages: KaMessage[];
  /** Texts of non-host messages without a line number, de-duplicated, in first-seen order. */
  readonly unlinedNonHost: string[];
  /** Every message, in log order. */
  readonly messages: KaMessage[];
}

/**
 * keepalived's verdict on one corpus file. Line numbers refer to the corpus file itself: a message naming
 * another file (an included one: none in this corpus) is an error here, so that a future corpus change
 * cannot silently mix line numbers of two files.
 */
export function keepalivedVerdict(row: ManifestRow, logText: string): KeepalivedVerdict {
  const messages = parseKeepalivedLog(logText);
  const base = path.posix.basename(row.file);
  const lines = new Set<number>();
  const unlined: string[] = [];
  for (const m of messages) {
    if (m.file !== undefined && m.file !== base) {
      throw new Error(`${row.file}: message for another file (${m.file}): ${m.raw}`);
    }
    if (m.host) continue;
    if (m.line !== undefined) lines.add(m.line);
    else if (!unlined.includes(m.text)) unlined.push(m.text);
  }
  return {
    exit: row.keepalivedExit,
    nonHostLines: [...lines].sort((a, b) => a - b),
    hostMessages: messages.filter((m) => m.host),
    unlinedNonHost: unlined,
    messages,
  };
}
