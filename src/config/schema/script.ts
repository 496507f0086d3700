/**
 * Scripts in the config: keepalived's quote/escape tokeniser (lib/parser.c
 * alloc_strvec_quoted_escaped()), the user/group rules (lib/notify.c
 * notify_script_init(), set_script_params_array(), get_default_script_user())
 * and the script-security verdict (vrrp.c/check_data.c/main.c "SECURITY VIOLATION").
 * Scripts become argv arrays: nothing here is ever handed to a shell.
 */
import type { SourceLoc } from '../diagnostics.js';
import type { HandlerCtx } from '../engine.js';
import type { BuildState } from '../model.js';

export interface ScriptSpec {
  /** argv after keepalived's quote/escape tokeniser; argv[0] as keepalived resolves it (realpath). */
  argv: string[];
  user?: string;
  group?: string;
  uid: number;
  gid: number;
  /** Where it is used: 'notify_master', 'vrrp_script', 'misc_path', … */
  kind: string;
  /** Subsystem, for the security message. */
  subsystem: 'vrrp' | 'checker' | 'global';
  loc: SourceLoc;
  /** Set by the security check. */
  disabled?: string;
}

/** Result of the quote/escape tokeniser: words, or an error as keepalived reports it. */
export type QuotedWords =
  | { readonly ok: true; readonly words: string[] }
  | { readonly ok: false; readonly reason: 'unterminated-quote' | 'trailing-backslash'; readonly quote?: string };

const WS = ' \t\f\n\r\v';

/** keepalived: alloc_strvec_quoted_escaped() — `"` and `'` quote and join; backslash escapes. */
export function splitQuotedEscaped(src: string): QuotedWords {
  const words: string[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    while (i < n && WS.includes(src[i] ?? '')) i++;
    if (i >= n) break;
    let out = '';
    let quote = '';
    while (i < n) {
      const c = src[i] ?? '';
      if (c === '\\') {
        i++;
        if (i >= n) return { ok: false, reason: 'trailing-backslash' };
        const e = src[i] ?? '';
        if (e === 'x' && /[0-9a-fA-F]/.test(src[i + 1] ?? '')) {
          let v = 0;
          i++;
          while (i < n && /[0-9a-fA-F]/.test(src[i] ?? '')) v = ((v << 4) | Number.parseInt(src[i++] ?? '0', 16)) & 0xff;
          out += String.fromCharCode(v);
        } else if (e === 'c' && i + 1 < n) {
          out += String.fromCharCode((src.charCodeAt(i + 1) ?? 0) & 0x1f);
          i += 2;
        } else if (e >= '0' && e <= '7') {
          let v = 0;
          for (let k = 0; k < 3 && (src[i] ?? '') >= '0' && (src[i] ?? '') <= '7'; k++) v = v * 8 + Number(src[i++]);
          out += String.fromCharCode(v & 0xff);
        } else {
          const map: Record<string, string> = { a: '\x07', b: '\b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
          out += map[e] ?? e;
          i++;
        }
        continue;
      }
      if (quote) {
        if (c === quote) {
          quote = '';
          i++;
          continue;
        }
        out += c;
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        i++;
        continue;
      }
      if (WS.includes(c)) break;
      out += c;
      i++;
    }
    if (quote) return { ok: false, reason: 'unterminated-quote', quote };
    words.push(out);
  }
  return { ok: true, words };
}

export interface ReadScriptOptions {
  /** Where it is used, e.g. 'notify_master'. */
  readonly kind: string;
  readonly subsystem: ScriptSpec['subsystem'];
  /**
   * notify-type scripts (notify*, quorum_up/down, notify_up/down, startup/shutdown,
   * fifo scripts) take words 3 and 4 as user and group; vrrp_script `script` and
   * MISC_CHECK `misc_path` ignore extra words (their user comes from `user`).
   */
  readonly userFromLine: boolean;
}

/**
 * Parses the script on the current line. Returns undefined when keepalived would
 * drop it (it then only logs, so a dropped script is a 'log' diagnostic, never silent).
 */
export function readScript(c: HandlerCtx<unknown>, state: BuildState, opts: ReadScriptOptions): ScriptSpec | undefined {
  const line = splitQuotedEscaped(c.stmt.raw);
  if (!line.ok) {
    if (line.reason === 'unterminated-quote') {
      c.report('UNMATCHED_QUOTE', 'KA_CFG_QUOTE', `String '${c.stmt.raw}': missing terminating ${line.quote ?? '"'}`);
    } else c.log(`Missing escape char at end: '${c.stmt.raw}'`);
    c.log('Unable to parse notify script');
    return undefined;
  }
  const cmd = line.words[1];
  const argvParsed = cmd === undefined ? undefined : splitQuotedEscaped(cmd);
  if (!argvParsed?.ok || argvParsed.words.length === 0) {
    c.log(`Unable to parse script '${cmd ?? ''}' - ignoring`);
    return undefined;
  }
  const argv = argvParsed.words;
  const spec: ScriptSpec = { argv, uid: 0, gid: 0, kind: opts.kind, subsystem: opts.subsystem, loc: c.loc };
  if (opts.userFromLine && line.words.length > 2) {
    const user = line.words[2] ?? '';
    const group = line.words[3];
    const ids = lookupUser(state, user, group);
    if (!ids) {
      c.log(`Invalid user/group for ${opts.kind} script ${argv[0] ?? ''} - ignoring`);
      return undefined;
    }
    Object.assign(spec, { user, uid: ids.uid, gid: ids.gid }, group !== undefined ? { group } : {});
  } else if (!applyDefaultUser(c, state, spec)) {
    c.log(`Failed to set default user for ${opts.kind} script ${argv[0] ?? ''} - ignoring`);
    return undefined;
  }
  state.scripts.push(spec);
  return spec;
}

/** keepalived: set_uid_gid() — names only. */
export function lookupUser(state: BuildState, user: string, group?: string): { uid: number; gid: number } | undefined {
  const u = state.host.user(user);
  if (!u) return undefined;
  if (group === undefined) return u;
  const g = state.host.group(group);
  return g ? { uid: u.uid, gid: g.gid } : undefined;
}

/** keepalived: get_default_script_user() — `script_user`, else keepalived_script if it exists, else root. */
export function applyDefaultUser(c: Pick<HandlerCtx<unknown>, 'report'>, state: BuildState, spec: ScriptSpec): boolean {
  const g = state.config.global;
  if (g.scriptUser) {
    const ids = lookupUser(state, g.scriptUser.user, g.scriptUser.group);
    if (!ids) return false;
    Object.assign(spec, { user: g.scriptUser.user, uid: ids.uid, gid: ids.gid });
    return true;
  }
  const ks = state.host.user('keepalived_script');
  if (ks) {
    Object.assign(spec, { user: 'keepalived_script', uid: ks.uid, gid: ks.gid });
    return true;
  }
  if (g.enableScriptSecurity) {
    if (defaultUserFailed.has(state.config)) return false;
    defaultUserFailed.add(state.config);
    c.report('GENERAL_ERROR', 'KA_CFG_SCRIPT_USER', 'Unable to set default user keepalived_script for script', {
      host: true,
    });
    return false;
  }
  return true;
}

// keepalived: find_path() searches PATH for a bare command name (and logs a warning).
const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function findScript(state: BuildState, path: string): ReturnType<BuildState['host']['file']> {
  if (path.includes('/')) return state.host.file(path);
  for (const dir of SEARCH_PATH) {
    const f = state.host.file(`${dir}/${path}`);
    if (f?.isFile) return f;
  }
  return undefined;
}

/** keepalived: get_default_script_user() fails once and the failure sticks (default_user_fail). */
const defaultUserFailed = new WeakSet<object>();

/**
 * keepalived: check_script_secure() and the SECURITY VIOLATION reports. A script
 * whose file is missing is disabled (logged); one that exists makes the config
 * "execute scripts", which without `enable_script_security` is a security error
 * (`-t` exits 6) when any script runs as root.
 */
export function checkScriptSecurity(
  state: BuildState,
  applies: (subsystem: ScriptSpec['subsystem']) => boolean = () => true,
): void {
  const bySubsystem = new Map<ScriptSpec['subsystem'], { any: boolean; insecure: boolean }>();
  for (const s of state.scripts) {
    if (!applies(s.subsystem)) continue;
    const path = s.argv[0] ?? '';
    const f = findScript(state, path);
    if (!f) {
      s.disabled = 'not found';
      state.reporter.report('OK', 'KA_CFG_SCRIPT_MISSING', `Cannot find script ${path} in path - disabling`, {
        loc: s.loc,
        host: true,
      });
      continue;
    }
    if (!f.executable) {
      s.disabled = 'not executable';
      state.reporter.report(
        'OK',
        'KA_CFG_SCRIPT_NOT_EXECUTABLE',
        `WARNING - script '${path}' is not executable for uid:gid ${s.uid}:${s.gid} - disabling.`,
        { loc: s.loc, host: true },
      );
    }
    const entry = bySubsystem.get(s.subsystem) ?? { any: false, insecure: false };
    entry.any = true;
    if (f.unsafe && (s.uid === 0 || s.gid === 0)) {
      entry.insecure = true;
      if (state.config.global.enableScriptSecurity) s.disabled = 'unsafe permissions';
    }
    bySubsystem.set(s.subsystem, entry);
  }
  if (state.config.global.enableScriptSecurity) return;
  const what = { vrrp: 'scripts', checker: 'check scripts', global: 'start/shutdown scripts' } as const;
  for (const sub of ['checker', 'vrrp', 'global'] as const) {
    const e = bySubsystem.get(sub);
    if (!e?.any) continue;
    state.reporter.report(
      'SECURITY_ERROR',
      'KA_CFG_SCRIPT_SECURITY',
      `SECURITY VIOLATION - ${what[sub]} are being executed but script_security not enabled.${e.insecure ? ' There are insecure scripts.' : ''}`,
      { loc: null, hint: 'add enable_script_security to global_defs (and a script_user)' },
    );
  }
}
