// A throw-away L2 lab for integration tests: one network namespace holding a Linux bridge `br0`, and one
// namespace per host whose `eth0` is a veth into that bridge. Real keepalived and our daemon run inside the
// host namespaces; tcpdump watches the bridge. Nothing touches the machine's own interfaces, and every
// namespace, process and temp dir is removed by `close()`, by an exit hook if the test process dies first,
// or by `sweepStaleLabs()` after a crash (namespace names carry the creating pid: `kts-<pid>-<id>-<host>`).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { pton6 } from '../../src/lib/ip-address.js';
import { formatIpv6, type PcapFrame, parsePcap } from '../../src/testing/pcap.js';

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface LabHostSpec {
  /** In 192.0.2.0/24, with or without a prefix (default /24). */
  readonly address4: string;
  /** In 2001:db8::/64 (default /64). Default: the IPv4 address's last octet as digits, 192.0.2.11 → 2001:db8::11. */
  readonly address6?: string;
}

export interface LabProcess {
  readonly pid: number;
  /** stdout and stderr so far, interleaved as they arrived. */
  readonly output: () => string;
  /** Resolves once `re` matches the output from offset `from` on (pass `output().length` to wait for news). */
  waitForOutput(re: RegExp, timeoutMs: number, from?: number): Promise<void>;
  /**
   * `'process'` signals the spawned process only, as an operator's `kill PID` would. `'group'` signals its
   * whole process group. keepalived's VRRP child gets SIGTERM from the kernel (PR_SET_PDEATHSIG) when its
   * parent dies and then sends a priority-0 advert, so a crash is `kill('SIGKILL', 'group')`.
   */
  kill(signal: NodeJS.Signals, target?: 'process' | 'group'): void;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
}

export interface LabHost {
  readonly name: string;
  readonly ns: string;
  /** Without prefix length. */
  readonly address4: string;
  readonly address6: string;
  /** Set from the IPv4 address's last octet: 192.0.2.11 → 02:00:00:00:00:11. */
  readonly mac: string;
  exec(argv: readonly string[]): Promise<ExecResult>;
  /** Starts `argv` in this namespace, in a process group of its own. */
  spawn(argv: readonly string[], opts?: { readonly env?: NodeJS.ProcessEnv }): LabProcess;
  /** `addr/prefix` strings from `ip -j addr show dev DEV`. */
  addresses(dev?: string): Promise<string[]>;
  /** `addr` with or without a prefix length; IPv6 in any valid spelling. */
  hasAddress(addr: string, dev?: string): Promise<boolean>;
  /** Cuts (or restores) this host's link by setting the bridge-side veth down; eth0 then loses carrier. */
  setLink(up: boolean): Promise<void>;
  /** A fresh directory, removed with the lab. */
  tempDir(): string;
}

export interface Capture {
  /** Stops tcpdump (SIGINT, so it flushes) and returns the frames it wrote. */
  stop(): Promise<PcapFrame[]>;
}

export interface Lab<K extends string = string> {
  readonly name: string;
  readonly bridgeNs: string;
  readonly hosts: Readonly<Record<K, LabHost>>;
  /** tcpdump on br0; default filter `ip proto 112 or ip6 proto 112 or arp or icmp6`. */
  capture(opts?: { readonly filter?: string }): Promise<Capture>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Prerequisites and stale labs

const repoRoot = path.resolve(import.meta.dirname, '../..');
/** CI clones the repo next to `shared/`. */
const seedConfScript = path.resolve(repoRoot, '../shared/seed/lab-director-conf.sh');

function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  return dirs.filter((d) => path.isAbsolute(d)).map((d) => path.join(d, name)).find((p) => existsSync(p));
}

export const keepalivedPath = findBinary('keepalived');
const tcpdumpPath = findBinary('tcpdump');

/** Why the lab cannot run here; empty when it can. */
export function labPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('not root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)');
  else if (spawnSync('ip', ['netns', 'list']).status !== 0) missing.push('`ip netns` unavailable (iproute2)');
  if (keepalivedPath === undefined) missing.push('keepalived not installed');
  if (tcpdumpPath === undefined) missing.push('tcpdump not installed');
  if (!existsSync(seedConfScript)) missing.push(`seed script missing: ${seedConfScript}`);
  return missing;
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const isStale = (name: string): boolean => {
  const m = /^kts-(\d+)-[0-9a-f]{6}-/.exec(name);
  return m !== null && !pidAlive(Number(m[1]));
};

/** Deletes `kts-<pid>-*` namespaces (killing what runs in them) and temp dirs whose creating process is gone. */
export function sweepStaleLabs(): string[] {
  const r = spawnSync('ip', ['-j', 'netns', 'list'], { encoding: 'utf8' });
  const list = r.status === 0 && r.stdout.trim() !== '' ? (JSON.parse(r.stdout) as { name: string }[]) : [];
  const stale = list.map((n) => n.name).filter(isStale);
  for (const ns of stale) destroyNamespaceSync(ns);
  for (const d of readdirSync(tmpdir()).filter(isStale)) rmSync(path.join(tmpdir(), d), { recursive: true, force: true });
  return stale;
}

function destroyNamespaceSync(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  for (const pid of pids.split(/\s+/).filter(Boolean)) killQuietly(Number(pid), 'SIGKILL');
  spawnSync('ip', ['netns', 'del', ns]);
}

// ---------------------------------------------------------------------------------------------------------
// Bookkeeping shared with the exit hook

interface LabState {
  readonly namespaces: string[];
  readonly children: Set<ChildProcess>;
  readonly dirs: Set<string>;
}
const openLabs = new Set<LabState>();
let hooked = false;

function cleanupSync(): void {
  for (const lab of openLabs) {
    for (const c of lab.children) if (c.pid !== undefined && running(c)) killQuietly(-c.pid, 'SIGKILL');
    for (const ns of [...lab.namespaces].reverse()) destroyNamespaceSync(ns);
    for (const d of lab.dirs) rmSync(d, { recursive: true, force: true });
  }
  openLabs.clear();
}

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupSync();
      // Keep the default action (exit by that signal) unless someone else handles it.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

/** A negative pid names a process group. */
function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// While a child is unreaped its pid, and so its group id, cannot belong to anyone else.
const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

// ---------------------------------------------------------------------------------------------------------
// Processes

function exec(argv: readonly string[]): Promise<ExecResult> {
  return new Promise((resolve) => {
    const [cmd = '', ...args] = argv;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: stderr + e.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + (signal === null ? 0 : constants.signals[signal]), stdout, stderr }));
  });
}

async function run(argv: readonly string[]): Promise<string> {
  const r = await exec(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

function spawnIn(lab: LabState, ns: string, argv: readonly string[], env?: NodeJS.ProcessEnv): LabProcess {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot spawn ${argv.join(' ')} in ${ns}`);
  lab.children.add(child);
  let out = '';
  let closed = false;
  const listeners = new Set<() => void>();
  const onData = (s: string): void => {
    out += s;
    for (const l of listeners) l();
  };
  child.stdout?.setEncoding('utf8').on('data', onData);
  child.stderr?.setEncoding('utf8').on('data', onData);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // 'close' comes after the last output; a grandchild holding the pipes delays it.
  child.on('close', () => {
    closed = true;
    for (const l of listeners) l();
  });
  return {
    pid,
    output: () => out,
    exited,
    kill(signal, target = 'process') {
      if (!running(child)) return;
      if (target === 'group') killQuietly(-pid, signal);
      else child.kill(signal);
    },
    waitForOutput(re, timeoutMs, from = 0) {
      const once = new RegExp(re.source, re.flags.replace('g', ''));
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (once.test(out.slice(from))) done();
          else if (closed) done(new Error(`${argv[0]} exited before printing ${re}:\n${out}`));
        };
        const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${re} from ${argv[0]}:\n${out}`)), timeoutMs);
        const done = (err?: Error): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err === undefined) resolve();
          else reject(err);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** `ip addr del ADDR dev DEV` in `host`; throws unless it was there and is gone. */
export async function removeAddress(host: LabHost, addr: string, dev = 'eth0'): Promise<void> {
  await run(['ip', '-n', host.ns, 'addr', 'del', addr, 'dev', dev]);
}

export async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Topology

/** IPv6 in RFC 5952 form, as `ip -j` prints it; anything else unchanged. */
const normalize = (addr: string): string => {
  const [ip = '', prefix] = addr.split('/');
  const bytes = ip.includes(':') ? pton6(ip) : undefined;
  if (bytes === undefined) return addr;
  const canonical = formatIpv6(Uint8Array.from(bytes));
  return prefix === undefined ? canonical : `${canonical}/${prefix}`;
};

function hostPlan(name: string, spec: LabHostSpec) {
  if (!/^[a-z][a-z0-9]{0,12}$/.test(name)) throw new Error(`lab host name ${name}: use 1-13 of [a-z0-9], starting with a letter`);
  const [a4 = '', p4 = '24'] = spec.address4.split('/');
  const m = /^192\.0\.2\.(0|[1-9]\d{0,2})$/.exec(a4);
  const last = Number(m?.[1] ?? -1);
  if (last < 1 || last > 254) throw new Error(`lab host ${name}: ${spec.address4} is not a host address in 192.0.2.0/24`);
  const [a6raw = `2001:db8::${last}`, p6 = '64'] = (spec.address6 ?? '').split('/').filter(Boolean);
  const a6 = normalize(a6raw);
  const net6 = pton6(a6)?.slice(0, 8).join('.');
  if (net6 !== '32.1.13.184.0.0.0.0') throw new Error(`lab host ${name}: ${a6} is not in 2001:db8::/64`);
  const digits = String(last).padStart(4, '0');
  return { a4, p4, a6, p6, mac: `02:00:00:00:${digits.slice(0, 2)}:${digits.slice(2)}`, veth: `v-${name}` };
}

/** Builds the bridge and the hosts; on any failure removes what it built and rethrows. */
export async function createLab<const K extends string>(specs: Readonly<Record<K, LabHostSpec>>): Promise<Lab<K>> {
  const names = Object.keys(specs) as K[];
  const plans = new Map(names.map((n) => [n, hostPlan(n, specs[n])]));
  const a4s = [...plans.values()].map((p) => p.a4);
  if (new Set(a4s).size !== a4s.length) throw new Error(`lab: duplicate host addresses ${a4s.join(' ')}`);

  const prefix = `kts-${process.pid}-${randomBytes(3).toString('hex')}-`;
  const bridgeNs = `${prefix}br`;
  const state: LabState = { namespaces: [], children: new Set(), dirs: new Set() };
  openLabs.add(state);
  installExitHook();
  const nsExec = (ns: string, argv: readonly string[]) => run(['ip', 'netns', 'exec', ns, ...argv]);
  const addNs = async (ns: string): Promise<void> => {
    state.namespaces.push(ns);
    await run(['ip', 'netns', 'add', ns]);
    await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  };

  const hosts = {} as Record<K, LabHost>;
  const lab: Lab<K> = {
    name: prefix.slice(0, -1),
    bridgeNs,
    hosts,
    capture: (opts) => startCapture(state, bridgeNs, opts?.filter ?? 'ip proto 112 or ip6 proto 112 or arp or icmp6'),
    close: () => closeLab(state),
  };
  try {
    await addNs(bridgeNs);
    // No IPv6 on the bridge itself: it would only add its own solicitations to every capture.
    await nsExec(bridgeNs, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    // Snooping off: the bridge floods every multicast group to every port, with or without IGMP/MLD querier.
    await run(['ip', '-n', bridgeNs, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0', 'forward_delay', '0']);
    await run(['ip', '-n', bridgeNs, 'link', 'set', 'br0', 'up']);
    const br = JSON.parse(await run(['ip', '-d', '-j', '-n', bridgeNs, 'link', 'show', 'br0'])) as { linkinfo?: { info_data?: { mcast_snooping?: number } } }[];
    if (br[0]?.linkinfo?.info_data?.mcast_snooping !== 0) throw new Error('lab: br0 still snoops multicast');

    for (const name of names) {
      const p = plans.get(name);
      if (p === undefined) continue;
      const ns = `${prefix}${name}`;
      await addNs(ns);
      // Set before eth0 exists so it inherits accept_dad=0: addresses are usable at once, never "tentative".
      await nsExec(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
      await run(['ip', '-n', bridgeNs, 'link', 'add', p.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await run(['ip', '-n', ns, 'link', 'set', 'eth0', 'address', p.mac]);
      await run(['ip', '-n', ns, 'addr', 'add', `${p.a4}/${p.p4}`, 'dev', 'eth0']);
      await run(['ip', '-n', ns, 'addr', 'add', `${p.a6}/${p.p6}`, 'dev', 'eth0', 'nodad']);
      await run(['ip', '-n', bridgeNs, 'link', 'set', p.veth, 'master', 'br0', 'up']);
      await run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
      hosts[name] = makeHost(state, name, ns, bridgeNs, p);
    }
    for (const h of Object.values<LabHost>(hosts)) await waitFor(() => linkReady(h.ns), 5_000, `${h.ns} eth0 up with a link-local address`);
    return lab;
  } catch (e) {
    await closeLab(state).catch(() => undefined);
    throw e;
  }
}

async function linkReady(ns: string): Promise<boolean> {
  const r = await exec(['ip', '-j', '-n', ns, 'addr', 'show', 'dev', 'eth0']);
  const [link] = JSON.parse(r.stdout || '[]') as { operstate?: string; addr_info?: { scope?: string; family?: string; tentative?: boolean }[] }[];
  return link?.operstate === 'UP' && (link.addr_info ?? []).some((a) => a.family === 'inet6' && a.scope === 'link' && a.tentative !== true);
}

function makeHost(state: LabState, name: string, ns: string, bridgeNs: string, p: ReturnType<typeof hostPlan>): LabHost {
  const host: LabHost = {
    name,
    ns,
    address4: p.a4,
    address6: p.a6,
    mac: p.mac,
    exec: (argv) => exec(['ip', 'netns', 'exec', ns, ...argv]),
    spawn: (argv, opts) => spawnIn(state, ns, argv, opts?.env),
    async addresses(dev = 'eth0') {
      const links = JSON.parse(await run(['ip', '-j', '-n', ns, 'addr', 'show', 'dev', dev])) as { addr_info?: { local: string; prefixlen: number }[] }[];
      return links.flatMap((l) => (l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`));
    },
    async hasAddress(addr, dev = 'eth0') {
      const want = normalize(addr);
      return (await host.addresses(dev)).some((a) => a === want || a.split('/')[0] === want);
    },
    async setLink(up) {
      await run(['ip', '-n', bridgeNs, 'link', 'set', p.veth, up ? 'up' : 'down']);
    },
    tempDir() {
      const d = mkdtempSync(path.join(tmpdir(), `${ns}-`));
      state.dirs.add(d);
      return d;
    },
  };
  return host;
}

async function startCapture(state: LabState, bridgeNs: string, filter: string): Promise<Capture> {
  if (tcpdumpPath === undefined) throw new Error('tcpdump not installed');
  const dir = mkdtempSync(path.join(tmpdir(), `${bridgeNs}-cap-`));
  state.dirs.add(dir);
  const file = path.join(dir, 'br0.pcap');
  // --immediate-mode: without it libpcap's TPACKET_V3 ring hands packets over in blocks (up to 1 s late),
  // and SIGINT loses the block in progress. -U: write each packet as it comes. -Z root: keep root so tcpdump
  // can write into our 0700 temp dir.
  const argv = [tcpdumpPath, '-i', 'br0', '--immediate-mode', '-U', '-s', '0', '-n', '-Z', 'root', '-w', file, filter];
  const proc = spawnIn(state, bridgeNs, argv);
  try {
    await proc.waitForOutput(/listening on br0/, 5_000);
  } catch (e) {
    proc.kill('SIGKILL', 'group');
    throw e;
  }
  return {
    async stop() {
      proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL', 'group'), 5_000);
      await proc.exited;
      clearTimeout(timer);
      const parsed = parsePcap(readFileSync(file));
      if (!parsed.ok || parsed.skipped > 0) throw new Error(`capture ${file}: ${parsed.ok ? `${parsed.skipped} records skipped` : parsed.reason}\n${proc.output()}`);
      return [...parsed.frames];
    },
  };
}

async function closeLab(state: LabState): Promise<void> {
  if (!openLabs.has(state)) return;
  const errors: unknown[] = [];
  const exits = [...state.children].map((c) => new Promise<void>((r) => (running(c) ? c.once('exit', () => r()) : r())));
  for (const c of state.children) if (c.pid !== undefined && running(c)) killQuietly(-c.pid, 'SIGKILL');
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 5_000))]);
  for (const ns of [...state.namespaces].reverse()) {
    // Anything still inside (a child that left its group) dies with the namespace.
    const pids = (await exec(['ip', 'netns', 'pids', ns])).stdout.split(/\s+/).filter(Boolean);
    for (const pid of pids) killQuietly(Number(pid), 'SIGKILL');
    const r = await exec(['ip', 'netns', 'del', ns]);
    if (r.code !== 0 && !/No such file/.test(r.stderr)) errors.push(new Error(`ip netns del ${ns}: ${r.stderr.trim()}`));
  }
  for (const d of state.dirs) rmSync(d, { recursive: true, force: true });
  openLabs.delete(state);
  if (errors.length > 0) throw new AggregateError(errors, 'lab teardown failed');
}

// ---------------------------------------------------------------------------------------------------------
// keepalived

export interface KeepalivedConfOptions {
  /** Replaces the seed's `192.0.2.100/24`; IPv4 keeps `dev eth0 label eth0:0`, IPv6 gets `dev eth0` (labels are IPv4 only). */
  readonly vip?: string;
  /** Adds `version N` to the instance (keepalived's default is 2; IPv6 needs 3). */
  readonly version?: 2 | 3;
  /** Replaces `advert_int 1` (seconds; fractions need version 3). */
  readonly advertInt?: number;
  /** Replaces `virtual_router_id 5`. */
  readonly vrid?: number;
  /** Replaces `auth_pass 123456`; `false` drops the authentication block (VRRPv3 has none). */
  readonly authPass?: string | false;
  /** Adds `unicast_src_ip`. */
  readonly unicastSrcIp?: string;
  /** Adds `unicast_peer { ... }`. */
  readonly unicastPeers?: readonly string[];
  /** Replaces `vrrp_mcast_group4 224.0.100.100`. */
  readonly mcastGroup4?: string;
  /** Adds `nopreempt` (keepalived wants state BACKUP with it). */
  readonly nopreempt?: boolean;
  /** Added verbatim at the end of global_defs / vrrp_instance. */
  readonly globalLines?: readonly string[];
  readonly instanceLines?: readonly string[];
}

/** The seed director config (`lab-director-conf.sh NAME STATE PRIORITY`) without its virtual_server, edited by `opts`. */
export function keepalivedConf(name: string, state: 'MASTER' | 'BACKUP', priority: number, opts: KeepalivedConfOptions = {}): string {
  const r = spawnSync('bash', [seedConfScript, name, state, String(priority)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${seedConfScript}: exit ${r.status}: ${r.stderr}`);
  const blocks = topLevelBlocks(r.stdout);
  let global = only(blocks, 'global_defs');
  let inst = only(blocks, 'vrrp_instance');
  const add = (block: string, lines: readonly string[]): string => block.replace(/\}\s*$/, `${lines.map((l) => `  ${l}\n`).join('')}}\n`);

  if (opts.mcastGroup4 !== undefined) global = replaceOnce(global, /^(\s*vrrp_mcast_group4\s+)\S+$/m, `$1${opts.mcastGroup4}`);
  if (opts.globalLines !== undefined) global = add(global, opts.globalLines);
  if (opts.vip !== undefined) {
    const tail = opts.vip.includes(':') ? 'dev eth0' : 'dev eth0 label eth0:0';
    inst = replaceOnce(inst, /^(\s*)192\.0\.2\.100\/24 dev eth0 label eth0:0$/m, `$1${opts.vip} ${tail}`);
  }
  if (opts.advertInt !== undefined) inst = replaceOnce(inst, /^(\s*advert_int\s+)\S+$/m, `$1${opts.advertInt}`);
  if (opts.vrid !== undefined) inst = replaceOnce(inst, /^(\s*virtual_router_id\s+)\S+$/m, `$1${opts.vrid}`);
  if (opts.authPass === false) inst = replaceOnce(inst, /^\s*authentication \{\n[^}]*\}\n/m, '');
  else if (opts.authPass !== undefined) inst = replaceOnce(inst, /^(\s*auth_pass\s+)\S+$/m, `$1${opts.authPass}`);
  const extra = [
    ...(opts.version === undefined ? [] : [`version ${opts.version}`]),
    ...(opts.unicastSrcIp === undefined ? [] : [`unicast_src_ip ${opts.unicastSrcIp}`]),
    ...(opts.unicastPeers === undefined ? [] : ['unicast_peer {', ...opts.unicastPeers.map((p) => `  ${p}`), '}']),
    ...(opts.nopreempt === true ? ['nopreempt'] : []),
    ...(opts.instanceLines ?? []),
  ];
  if (extra.length > 0) inst = add(inst, extra);
  return `${global}${inst}`;
}

function topLevelBlocks(text: string): string[] {
  const blocks: string[] = [];
  let depth = 0;
  let current = '';
  for (const line of text.split('\n')) {
    if (depth === 0 && line.trim() === '') continue;
    current += `${line}\n`;
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth === 0) {
      blocks.push(current);
      current = '';
    }
  }
  return blocks;
}

function only(blocks: readonly string[], keyword: string): string {
  const found = blocks.filter((b) => b.trimStart().startsWith(`${keyword} `));
  if (found.length !== 1 || found[0] === undefined) throw new Error(`seed config: expected one ${keyword} block, found ${found.length}`);
  return found[0];
}

function replaceOnce(text: string, re: RegExp, by: string): string {
  const count = text.match(new RegExp(re.source, `${re.flags}g`))?.length ?? 0;
  if (count !== 1) throw new Error(`seed config changed: ${re} matches ${count} times in\n${text}`);
  return text.replace(re, by);
}

/**
 * Runs `COMMAND -n -l -D -P -f CONF -p/-r/-c PIDFILES` in `host`'s namespace, the config and pid files in
 * a fresh temp dir (keepalived refuses to start while a pid file names a live process), and resolves once
 * the instance has entered its first state. keepalived and our CLI take the same flags.
 */
export async function startVrrpDaemon(
  host: LabHost,
  command: readonly string[],
  conf: string,
  opts: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<LabProcess> {
  const dir = host.tempDir();
  const f = (n: string): string => path.join(dir, n);
  writeFileSync(f('keepalived.conf'), conf);
  const argv = [...command, '-n', '-l', '-D', '-P', '-f', f('keepalived.conf'), '-p', f('keepalived.pid'), '-r', f('vrrp.pid'), '-c', f('checkers.pid')];
  const proc = host.spawn(argv, opts.env === undefined ? {} : { env: { ...process.env, ...opts.env } });
  try {
    await proc.waitForOutput(/Entering (BACKUP|MASTER|FAULT) STATE/, opts.timeoutMs ?? 10_000);
  } catch (e) {
    proc.kill('SIGKILL', 'group');
    throw new Error(`${command.join(' ')} did not start`, { cause: e });
  }
  return proc;
}

export function startKeepalived(host: LabHost, conf: string, timeoutMs = 10_000): Promise<LabProcess> {
  if (keepalivedPath === undefined) throw new Error('keepalived not installed');
  return startVrrpDaemon(host, [keepalivedPath], conf, { timeoutMs });
}
