/**
 * The typed model of keepalived's checker configuration (check_data.h):
 * virtual server groups, virtual servers, real servers and their checkers,
 * with keepalived's defaults. Timers are in ms (keepalived keeps µs, so
 * fractions of a ms can occur).
 */
import type { SourceLoc } from '../diagnostics.js';
import type { BuildState } from '../model.js';
import type { ScriptSpec } from './script.js';
import type { Forwarding, IpFamily, SockAddr } from './lvs-values.js';

export type { Forwarding, IpFamily, SockAddr } from './lvs-values.js';

export type VsgEntry =
  | { kind: 'fwmark'; fwmark: number; family?: IpFamily }
  /** `start`..`end` inclusive (a single address has start = end); the port is on both. */
  | { kind: 'range'; start: SockAddr; end: SockAddr };

export interface VirtualServerGroup {
  name: string;
  loc: SourceLoc;
  entries: VsgEntry[];
  hasIpv4: boolean;
  hasIpv6: boolean;
  fwmarkWithoutFamily: boolean;
}

export type VsKey =
  | { kind: 'address'; addr: SockAddr }
  | { kind: 'fwmark'; fwmark: number }
  /** memberNo: its sequence number in the group (keepalived prints it as the port). */
  | { kind: 'group'; name: string; memberNo?: number };

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface VsFlags {
  ops: boolean;
  flag1: boolean;
  flag2: boolean;
  flag3: boolean;
  shPort: boolean;
  shFallback: boolean;
  mhPort: boolean;
  mhFallback: boolean;
}

/** What inherits VS → RS → checker; absent = not written at that level. */
export interface Inheritable {
  retry?: number;
  delayBeforeRetryMs?: number;
  warmupMs?: number;
  delayLoopMs?: number;
  connectTimeoutMs?: number;
  alpha?: boolean;
  inhibitOnFailure?: boolean;
  weight?: number;
}

export interface SorryServer {
  addr: SockAddr;
  inhibit: boolean;
  /** Unset until validation copies the VS method. */
  forwarding?: Forwarding;
}

export interface VirtualServer {
  key: VsKey;
  loc: SourceLoc;
  /** Resolved from addresses, real servers, ip_family or the group. */
  family?: IpFamily | undefined;
  /** lvs_sched / lb_algo; 'wlc' after validation when unset. */
  scheduler?: string;
  flags: VsFlags;
  /** lvs_method / lb_kind; NAT after validation when unset. */
  forwarding?: Forwarding;
  protocol?: Protocol;
  /** Seconds; 0 = not persistent. */
  persistenceTimeoutS: number;
  /** IPv4 netmask text or IPv6 prefix length. */
  persistenceGranularity?: string | number;
  persistenceEngine?: string;
  haSuspend: boolean;
  alpha: boolean;
  omega: boolean;
  inhibitOnFailure: boolean;
  quorum: number;
  hysteresis: number;
  quorumUp?: ScriptSpec;
  quorumDown?: ScriptSpec;
  /** Default weight of real servers. */
  weight: number;
  delayLoopMs: number;
  connectTimeoutMs: number;
  retry?: number;
  delayBeforeRetryMs?: number;
  warmupMs?: number;
  /** Resolved by validation (global smtp_alert_checker / smtp_alert, else false). */
  smtpAlert?: boolean;
  virtualhost?: string;
  snmpName?: string;
  sorryServer?: SorryServer;
  realServers: RealServer[];
}

export interface RealServer extends Required<Omit<Inheritable, 'retry' | 'delayBeforeRetryMs' | 'warmupMs'>> {
  addr: SockAddr;
  loc: SourceLoc;
  /** The port written on the real_server line (checkers default to it). */
  writtenPort: number;
  /** As written in this block; the flat fields hold the resolved values after validation. */
  written: Inheritable;
  forwarding?: Forwarding;
  uThreshold: number;
  lThreshold: number;
  retry?: number;
  delayBeforeRetryMs?: number;
  warmupMs?: number;
  /** Resolved by validation (global settings, else true). */
  smtpAlert?: boolean;
  smtpAlertWritten?: boolean;
  virtualhost?: string;
  snmpName?: string;
  notifyUp?: ScriptSpec;
  notifyDown?: ScriptSpec;
  checkers: Checker[];
}

export interface ConnOpts {
  /** Default: the real server address with the port written on its line. */
  dst?: SockAddr;
  bindto?: SockAddr;
  bindIf?: string;
  connectTimeoutMs?: number;
  /** SO_MARK. */
  fwmark: number;
}

interface CheckerBase {
  loc: SourceLoc;
  written: Pick<Inheritable, 'retry' | 'delayBeforeRetryMs' | 'warmupMs' | 'delayLoopMs' | 'alpha'>;
  /** Resolved by validation through RS and VS. */
  alpha: boolean;
  retry: number;
  delayLoopMs: number;
  warmupMs: number;
  delayBeforeRetryMs: number;
  logAllFailures: boolean;
}

export interface HttpUrl {
  path: string;
  /** MD5 as 32 lowercase hex digits. */
  digest?: string;
  /** Inclusive ranges; [[200, 299]] when none given. */
  statusCodes: [number, number][];
  virtualhost?: string;
  regex?: string;
  regexOptions: string[];
  regexNoMatch: boolean;
  regexMinOffset: number;
  regexMaxOffset?: number;
  regexStack?: { start: number; max: number };
}

export interface HttpChecker extends CheckerBase {
  type: 'HTTP_GET' | 'SSL_GET';
  connection: ConnOpts;
  urls: HttpUrl[];
  virtualhost?: string;
  httpProtocol: '1.0' | '1.1' | '1.0C';
  enableSni: boolean;
  fastRecovery: boolean;
}
export interface TcpChecker extends CheckerBase {
  type: 'TCP_CHECK';
  connection: ConnOpts;
}
export interface PingChecker extends CheckerBase {
  type: 'PING_CHECK';
  connection: ConnOpts;
}
export interface MiscChecker extends CheckerBase {
  type: 'MISC_CHECK';
  script?: ScriptSpec;
  /** 0 = the checker's delay_loop. */
  timeoutMs: number;
  dynamic: boolean;
}
export interface SmtpChecker extends CheckerBase {
  type: 'SMTP_CHECK';
  connection: ConnOpts;
  heloName: string;
}
export interface DnsChecker extends CheckerBase {
  type: 'DNS_CHECK';
  connection: ConnOpts;
  queryType: 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA' | 'RRSIG' | 'DNSKEY';
  name: string;
}
export interface UdpChecker extends CheckerBase {
  type: 'UDP_CHECK';
  connection: ConnOpts;
  payload?: number[];
  requireReply: boolean;
  reply?: { data: number[]; mask: number[] };
  minReplyLength: number;
  maxReplyLength: number;
}
export interface FileChecker extends CheckerBase {
  type: 'FILE_CHECK';
  trackFile?: string;
  weight?: number;
  reverse: boolean;
}
export interface BfdChecker extends CheckerBase {
  type: 'BFD_CHECK';
  name?: string;
}

export type Checker =
  | HttpChecker
  | TcpChecker
  | PingChecker
  | MiscChecker
  | SmtpChecker
  | DnsChecker
  | UdpChecker
  | FileChecker
  | BfdChecker;
export type CheckerType = Checker['type'];

export interface SslContext {
  password?: string;
  ca?: string;
  certificate?: string;
  key?: string;
}

export interface LvsSection {
  virtualServerGroups: VirtualServerGroup[];
  virtualServers: VirtualServer[];
  ssl?: SslContext;
  /** bfd_instance names usable by BFD_CHECK (filled by the bfd_instance reader in the checker pass). */
  checkerBfds: Set<string>;
}

/** The parse cursor of the checker pass (keepalived's list_last_entry()). */
export interface RsCtx {
  readonly state: BuildState;
  readonly vs: VirtualServer;
  readonly rs: RealServer;
}
export interface CheckerCtx<C extends Checker = Checker> extends RsCtx {
  readonly checker: C;
  /** False once keepalived has dequeued it (later keywords are ignored). */
  queued: boolean;
}
