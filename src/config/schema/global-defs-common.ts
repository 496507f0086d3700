/**
 * Readers shared by the global_defs and bfd_instance tables: keepalived's
 * inet_stosockaddr(), the optional-boolean handlers and the notify FIFO pair.
 */
import { isIpv4 as isIPv4, isIpv6 as isIPv6 } from './address.js';
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { checkTrueFalse, readUnsigned } from '../engine.js';
import type { BuildState } from '../model.js';
import { lookupUser, readScript } from './script.js';
import type { ScriptSpec } from './script.js';

export type Ctx = HandlerCtx<BuildState>;
export type Kw = KeywordSpec<BuildState>;
export type KwTable = Record<string, Kw>;

export interface SockAddr {
  family: 4 | 6;
  address: string;
  port?: number;
}

/**
 * keepalived: inet_stosockaddr() — family from the presence of ':', anything from the
 * first '-' or '/' dropped, inet_pton(); a port goes through read_unsigned (which reports).
 */
export function inetStoSockaddr(c: Ctx, ip: string, port?: string): SockAddr | undefined {
  const family = ip.includes(':') ? 6 : 4;
  let portNum: number | undefined;
  if (port !== undefined) {
    portNum = readUnsigned(c, port, 1, 65535);
    if (portNum === undefined) return undefined;
  }
  const cut = /[-/]/.exec(ip);
  const bare = cut ? ip.slice(0, cut.index) : ip;
  if (!(family === 4 ? isIPv4(bare) : isIPv6(bare) && !bare.includes('%'))) return undefined;
  return { family, address: bare, ...(portNum !== undefined ? { port: portNum } : {}) };
}

/** IN_MULTICAST / IN6_IS_ADDR_MULTICAST. */
export function isMulticast(a: SockAddr): boolean {
  if (a.family === 4) {
    const first = Number(a.address.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  return firstHextet(a.address) >> 8 === 0xff;
}

/** IN6_IS_ADDR_MC_LINKLOCAL: ff02::/16 scope (flags ignored). */
export function isLinkLocalMulticast6(address: string): boolean {
  const h = firstHextet(address);
  return h >> 8 === 0xff && (h & 0x0f) === 0x2;
}

function firstHextet(address: string): number {
  const head = address.split(':')[0] ?? '';
  return head === '' ? 0 : Number.parseInt(head, 16);
}

/** A keyword that only sets a flag (extra words ignored). */
export function flag(set: (c: Ctx) => void): Kw {
  return { handler: set };
}

/**
 * The common optional-boolean handler: omitted → true; invalid → message, value unchanged.
 * `message` receives the bad word.
 */
export function optBool(set: (c: Ctx, v: boolean) => void, message: (w: string) => string): Kw {
  return {
    handler: (c) => {
      if (!c.has(1)) return set(c, true);
      const b = checkTrueFalse(c.word(1));
      if (b === undefined) c.error(message(c.word(1)));
      else set(c, b);
    },
  };
}

/** `Invalid value 'X' for global KW specified`, the usual wording. */
export function globalBool(keyword: string, set: (c: Ctx, v: boolean) => void): Kw {
  return optBool(set, (w) => `Invalid value '${w}' for global ${keyword} specified`);
}

export interface NotifyFifo {
  path?: string;
  user?: string;
  group?: string;
  uid: number;
  gid: number;
  script?: ScriptSpec;
}

export function createFifo(): NotifyFifo {
  return { uid: 0, gid: 0 };
}

/** keepalived: notify_fifo() in global_parser.c. `type` is '', 'vrrp_' or 'lvs_'. */
export function notifyFifoKw(type: string, get: (c: Ctx) => NotifyFifo): Kw {
  return {
    handler: (c) => {
      if (!c.has(1)) return c.error(`No ${type}notify_fifo name specified`);
      const fifo = get(c);
      if (fifo.path !== undefined) return c.error(`${type}notify_fifo already specified - ignoring ${c.word(1)}`);
      const state = c.target;
      if (c.has(2)) {
        const user = c.word(2);
        const group = c.has(3) ? c.word(3) : undefined;
        const ids = lookupUser(state, user, group);
        // keepalived prints the (still unset) name here: "(null)".
        if (!ids) return c.log(`Invalid user/group for ${type} fifo (null) - ignoring`);
        Object.assign(fifo, { user, uid: ids.uid, gid: ids.gid }, group !== undefined ? { group } : {});
      } else {
        const su = state.config.global.scriptUser;
        if (su) {
          const ids = lookupUser(state, su.user, su.group);
          if (!ids) return c.log(`Failed to set default user for ${type} fifo (null) - ignoring`);
          Object.assign(fifo, { user: su.user, uid: ids.uid, gid: ids.gid });
        } else {
          const ks = state.host.user('keepalived_script');
          if (ks) Object.assign(fifo, { user: 'keepalived_script', uid: ks.uid, gid: ks.gid });
          else if (state.config.global.enableScriptSecurity) {
            c.error('Unable to set default user keepalived_script for script', { host: true });
            return c.log(`Failed to set default user for ${type} fifo (null) - ignoring`);
          }
        }
      }
      fifo.path = c.word(1);
    },
  };
}

/** keepalived: notify_fifo_script(). Which processes check the script's security differs by FIFO. */
export function notifyFifoScriptKw(
  type: string,
  get: (c: Ctx) => NotifyFifo,
  subsystems: readonly ScriptSpec['subsystem'][],
): Kw {
  return {
    handler: (c) => {
      if (!c.has(1)) return c.error(`No ${type}notify_fifo_script specified`);
      const fifo = get(c);
      if (fifo.script) return c.error(`${type}notify_fifo_script already specified - ignoring ${c.word(1)}`);
      const [first, ...rest] = subsystems;
      if (!first) return;
      const spec = readScript(c, c.target, { kind: `${type}notify_fifo`, subsystem: first, userFromLine: true });
      if (!spec) return;
      fifo.script = spec;
      // The same script is security-checked by each process that runs it.
      for (const s of rest) c.target.scripts.push({ ...spec, subsystem: s });
    },
  };
}
