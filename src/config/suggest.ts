/**
 * Did-you-mean for `Unknown keyword 'X'`: renamed and removed keywords,
 * keywords newer than keepalived 2.2.7, `-`/`_` and case slips, typos (edit
 * distance), and keywords that exist but belong in another block.
 * keepalived itself gives no hint; this only adds a `hint` to its message.
 */

interface Renamed {
  /** The 2.2.7 keyword to use instead, if any. */
  readonly to?: string;
  /** Where `to` (or the word itself) is valid, when that matters. */
  readonly where?: string;
  readonly why: string;
}

/** Old, removed and build-dependent keywords (reference/keepalived-config.md §13). */
const RENAMED: Readonly<Record<string, Renamed>> = {
  nb_get_retry: { to: 'retry', where: 'HTTP_GET/SSL_GET', why: 'is its old name and is only valid inside HTTP_GET/SSL_GET' },
  lvs_id: { to: 'router_id', where: 'global_defs', why: 'is the keepalived 1.x name, removed since' },
  nat_mask: { why: 'is a keepalived 1.x virtual_server keyword that 2.2.7 no longer has; delete it' },
  vrrp_ipsets: {
    to: 'nftables',
    where: 'global_defs',
    why: "needs keepalived built with ipset support; Debian's 2.2.7 is built with nftables only",
  },
  lvs_sync_daemon_interface: {
    to: 'lvs_sync_daemon',
    where: 'global_defs',
    why: "is gone; use global_defs 'lvs_sync_daemon IFNAME inst INSTANCE'",
  },
  vmac_garp_intvl: { to: 'garp_extra_if', why: 'is the deprecated name' },
  lb_method: { to: 'lvs_method', why: "is not a keyword (the old name is 'lb_kind')" },
  lvs_algo: { to: 'lvs_sched', why: "is not a keyword (the old name is 'lb_algo')" },
};

/** Keywords added after 2.2.7: unknown to 2.2.7, and so to this reader. */
const NEWER_THAN_227 = new Set([
  'active_key',
  'anti_replay',
  'auth_hmac',
  'dbus_no_interface_name',
  'iproute_etc_dir',
  'iproute_usr_dir',
  'json_dump_file',
  'json_version',
  'mode',
  'multihop',
  'no_virtual_ipaddress',
  'owner_ignore_adverts',
  'set_supplementary_groups',
  'sni_name',
  'snmp_rs_stats_update_interval',
  'snmp_vs_stats_update_interval',
  'state_dump_file',
  'stats_dump_file',
  'thread_timer_expired',
  'time_window',
  'timer_expired_backup',
  'tls_compliant',
  'use_symlink_paths',
  'v3_checksum_as_v2',
  'vrrp_delay_after_boot',
  'vrrp_owner_ignore_adverts',
]);

const TOP = 'top level';

function where(block: string): string {
  return block === TOP ? 'at top level' : block;
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

function maxDistance(word: string): number {
  if (word.length <= 2) return 0;
  if (word.length <= 5) return 1;
  return word.length <= 10 ? 2 : 3;
}

/** The closest candidates within the typo budget (at most two, best first). */
function closest(word: string, candidates: Iterable<string>): string[] {
  const budget = maxDistance(word);
  let best = budget + 1;
  let found: string[] = [];
  for (const k of candidates) {
    if (k === word) continue;
    const dist = editDistance(word.toLowerCase(), k.toLowerCase());
    if (dist < best) {
      best = dist;
      found = [k];
    } else if (dist === best && !found.includes(k)) found.push(k);
  }
  return best <= budget ? found.sort().slice(0, 2) : [];
}

function quoteList(words: readonly string[]): string {
  return words.map((w) => `'${w}'`).join(' or ');
}

/** Blocks other than `blockName` where `word` is a keyword. */
function blocksWith(word: string, blockName: string, all: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [block, kws] of all) if (block !== blockName && kws.includes(word)) out.push(block);
  return out;
}

function renamedHint(word: string, blockName: string, known: readonly string[]): string | undefined {
  const r = Object.hasOwn(RENAMED, word) ? RENAMED[word] : undefined;
  if (!r) return undefined;
  if (r.to && known.includes(r.to)) return `did you mean '${r.to}'? ('${word}' ${r.why})`;
  if (r.to) return `'${word}' ${r.why}; use '${r.to}'${r.where && r.where !== blockName ? ` in ${r.where}` : ''}`;
  return `'${word}' ${r.why}`;
}

/**
 * A hint for `Unknown keyword 'word'` in block `blockName` (whose keywords are
 * `known`); `allKeywords` maps every block name to its keywords.
 */
export function suggestKeyword(
  blockName: string,
  word: string,
  known: readonly string[],
  allKeywords: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  if (word === '}') return "a '}' with no block open: a block above lacks its '{' or has one '}' too many";
  if (word === '{') return undefined;
  const renamed = renamedHint(word, blockName, known);
  if (renamed) return renamed;
  if (NEWER_THAN_227.has(word))
    return `'${word}' was added to keepalived after 2.2.7; 2.2.7 (and this reader) does not know it`;

  const spelled = word.replace(/-/g, '_');
  if (spelled !== word && known.includes(spelled)) return `'${word}' is spelled '${spelled}'`;
  const lower = spelled.toLowerCase();
  if (lower !== word && known.includes(lower)) return `keywords are case-sensitive: '${word}' is spelled '${lower}'`;
  const upper = spelled.toUpperCase();
  if (upper !== word && known.includes(upper)) return `keywords are case-sensitive: '${word}' is spelled '${upper}'`;

  const elsewhere = blocksWith(word, blockName, allKeywords);
  // global_defs' vrrp_X is X inside vrrp_instance, and the other way round.
  const prefixed = word.startsWith('vrrp_') ? word.slice(5) : `vrrp_${word}`;
  const hasPrefixed = known.includes(prefixed);
  if (elsewhere.length > 0) {
    const shown = elsewhere.slice(0, 3).join(', ');
    const here = hasPrefixed ? `; ${where(blockName)} has '${prefixed}'` : `, not ${where(blockName)}`;
    return `'${word}' belongs in ${shown}${elsewhere.length > 3 ? ', …' : ''}${here}`;
  }
  if (hasPrefixed) return `did you mean '${prefixed}'?`;

  const near = closest(word, known);
  if (near.length > 0) return `did you mean ${quoteList(near)}?`;
  for (const [block, kws] of allKeywords) {
    if (block === blockName) continue;
    const other = closest(word, kws);
    if (other.length > 0) return `did you mean ${quoteList(other)}? (a keyword of ${block}, not ${where(blockName)})`;
  }
  return undefined;
}
