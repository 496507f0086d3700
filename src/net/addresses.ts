/**
 * VIPs and the interface facts the VRRP daemon needs, through iproute2's `ip`
 * (JSON output to read, argv to write). The argv builders are pure and tested
 * with tables; the class only runs them.
 */
import type { IpAddress } from '../config/schema/address.js';
import type { Exec } from '../lib/exec.js';
import { KaError } from '../lib/errors.js';

/** keepalived: IPv6 /128 VIPs without preferred_lft get 0 (deprecated, never a source address). */
function preferredLft(a: IpAddress): number | undefined {
  if (a.family !== 'inet6') return undefined;
  if (a.preferredLft !== undefined) return a.preferredLft;
  return a.prefix === 128 ? 0 : undefined;
}

/** `ip addr add|del` argv for a VIP as keepalived installs it (reference §2.11). */
export function addressArgv(op: 'add' | 'del', a: IpAddress, defaultDev: string): string[] {
  const dev = a.dev ?? defaultDev;
  const argv = ['ip', a.family === 'inet6' ? '-6' : '-4', 'addr', op, `${a.address}/${a.prefix}`];
  if (a.peer !== undefined) argv.push('peer', a.peer);
  argv.push('dev', dev);
  if (op === 'del') return argv;
  if (a.family === 'inet') {
    if (a.broadcast !== undefined) argv.push('broadcast', a.broadcast);
    if (a.label !== undefined) argv.push('label', a.label);
  }
  if (a.scope !== undefined) argv.push('scope', String(a.scope));
  if (a.home) argv.push('home');
  if (a.family === 'inet6' && !a.noDad) argv.push('nodad');
  if (a.mngtmpaddr) argv.push('mngtmpaddr');
  if (a.noPrefixRoute) argv.push('noprefixroute');
  if (a.autojoin) argv.push('autojoin');
  const lft = preferredLft(a);
  if (lft !== undefined) argv.push('preferred_lft', lft === 0xffffffff ? 'forever' : String(lft));
  return argv;
}

export interface InterfaceAddress {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'inet' | 'inet6';
  readonly scope: string;
}

export interface LinkFacts {
  readonly name: string;
  readonly ifindex: number;
  /** In the order the kernel lists them (the first IPv4 one is keepalived's primary address). */
  readonly addresses: readonly InterfaceAddress[];
}

interface IpJsonLink {
  ifindex?: number;
  ifname?: string;
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number; scope?: string } | null>;
}

/** Parses `ip -j addr show` output. Never throws on odd input; skips what it cannot read. */
export function parseIpAddrJson(text: string): LinkFacts[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  return (data as Array<IpJsonLink | null>).flatMap((l) => {
    if (l === null || typeof l !== 'object' || typeof l.ifname !== 'string' || typeof l.ifindex !== 'number') return [];
    const info = Array.isArray(l.addr_info) ? l.addr_info : [];
    const addresses = info.flatMap((a): InterfaceAddress[] =>
      a !== null && typeof a === 'object' && (a.family === 'inet' || a.family === 'inet6') && typeof a.local === 'string'
        ? [{ address: a.local, prefix: a.prefixlen ?? 0, family: a.family, scope: a.scope ?? 'global' }]
        : [],
    );
    return [
      {
        name: l.ifname,
        ifindex: l.ifindex,
        addresses,
      },
    ];
  });
}

/** The `ip` adapter: reads links, adds and deletes addresses. Failures become KaError. */
export class IpRoute {
  readonly #exec: Exec;

  constructor(exec: Exec) {
    this.#exec = exec;
  }

  async links(): Promise<LinkFacts[]> {
    const r = await this.#exec(['ip', '-j', 'addr', 'show']);
    if (r.code !== 0) throw new KaError('KA_ERR_IP_FAILED', `ip -j addr show exited ${r.code}: ${r.stderr.trim()}`);
    return parseIpAddrJson(r.stdout);
  }

  async add(a: IpAddress, defaultDev: string): Promise<void> {
    await this.#run(addressArgv('add', a, defaultDev), 'File exists');
  }

  async del(a: IpAddress, defaultDev: string): Promise<void> {
    await this.#run(addressArgv('del', a, defaultDev), 'Cannot assign requested address');
  }

  /** Idempotent, as keepalived's add/delete: "already there" / "already gone" is success. */
  async #run(argv: string[], benign: string): Promise<void> {
    const r = await this.#exec(argv);
    if (r.code === 0 || r.stderr.includes(benign)) return;
    throw new KaError('KA_ERR_IP_FAILED', `${argv.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  }
}
