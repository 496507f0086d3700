/**
 * keepalived's post-parse work in the checker process: link_vsg_to_vs()
 * (ipwrapper.c) then validate_check_config() (check_data.c), in that order and
 * with the same messages. These messages carry no line number.
 */
import type { KaClass } from '../diagnostics.js';
import type { BuildState } from '../model.js';
import type { Checker, RealServer, VirtualServer, VirtualServerGroup } from './lvs-model.js';
import { copyForwarding, defaultTunnel, formatTrio, makeForwarding } from './lvs-values.js';

const IPVS_SVC_PERSISTENT_TIMEOUT = 360;

/** keepalived: FMT_VS() / format_vs(). */
export function fmtVs(vs: VirtualServer): string {
  switch (vs.key.kind) {
    case 'group':
      return `[${vs.key.name}]:${vs.key.memberNo ?? 0}`;
    case 'fwmark':
      return `FWM ${vs.key.fwmark}`;
    case 'address':
      return formatTrio(vs.key.addr, vs.protocol);
  }
}

const fmtRs = (rs: RealServer, vs: VirtualServer): string => formatTrio(rs.addr, vs.protocol);

function report(state: BuildState, message: string, kaClass: KaClass = 'GENERAL_ERROR'): void {
  state.reporter.report(kaClass, kaClass === 'OK' ? 'KA_CFG_LOG' : 'KA_CFG_INVALID', message, { loc: null });
}

/** keepalived: link_vsg_to_vs() — only logs. */
function linkGroups(state: BuildState): Map<VirtualServer, VirtualServerGroup> {
  const lvs = state.config.lvs;
  const links = new Map<VirtualServer, VirtualServerGroup>();
  lvs.virtualServers = lvs.virtualServers.filter((vs) => {
    if (vs.key.kind !== 'group') return true;
    const name = vs.key.name;
    const g = lvs.virtualServerGroups.find((x) => x.name === name);
    if (!g) {
      report(state, `Virtual server group ${name} specified but not configured - ignoring virtual server ${fmtVs(vs)}`, 'OK');
      return false;
    }
    const gFam = g.hasIpv4 === g.hasIpv6 ? undefined : g.hasIpv4 ? 'inet' : 'inet6';
    if (g.hasIpv4 && g.hasIpv6 && vs.family !== undefined) {
      report(state, `${name}: virtual server group with IPv4 & IPv6 doesn't match virtual server ${fmtVs(vs)} - ignoring`, 'OK');
      return false;
    }
    if ((g.hasIpv4 && vs.family === 'inet6') || (g.hasIpv6 && vs.family === 'inet')) {
      report(state, `${name}: address family doesn't match virtual server ${fmtVs(vs)} - ignoring`, 'OK');
      return false;
    }
    if (gFam !== undefined) vs.family ??= gFam;
    else if (vs.family === undefined && g.fwmarkWithoutFamily)
      report(state, `${name}: Virtual server ${fmtVs(vs)} address family cannot be determined, defaulting to IPv4`, 'OK');
    links.set(vs, g);
    return true;
  });
  // keepalived: the port of a group's virtual server is its sequence number in the group
  for (const g of lvs.virtualServerGroups) {
    let n = 0;
    for (const vs of lvs.virtualServers) if (vs.key.kind === 'group' && vs.key.name === g.name) vs.key.memberNo = n++;
  }
  return links;
}

const sameRs = (a: { addr: RealServer['addr'] }, b: { addr: RealServer['addr'] }): boolean =>
  a.addr.family === b.addr.family && a.addr.address === b.addr.address && a.addr.port === b.addr.port;

function validateVs(state: BuildState, vs: VirtualServer, g: VirtualServerGroup | undefined): void {
  const gd = state.config.global as { smtpAlertChecker?: boolean; smtpAlert?: boolean };
  const F = (): string => fmtVs(vs);
  const gRanges = g ? g.entries.filter((e) => e.kind === 'range') : [];
  const gMarks = g ? g.entries.filter((e) => e.kind === 'fwmark') : [];
  if (vs.haSuspend && (vs.key.kind === 'fwmark' || gMarks.length)) {
    report(state, `Virtual server ${F()}: cannot use ha_suspend with fwmarks - clearing ha_suspend`);
    vs.haSuspend = false;
  }
  if ((g && gRanges.length) || (!g && vs.key.kind === 'address')) {
    if (!vs.protocol) {
      report(state, `Virtual server ${F()}: no protocol set - defaulting to UDP`);
      vs.protocol = 'UDP';
    }
    if (vs.flags.ops && vs.protocol !== 'UDP') {
      report(state, `Virtual server ${F()}: one packet scheduling requires UDP - resetting`);
      vs.flags.ops = false;
    }
    if (!vs.persistenceTimeoutS && vs.key.kind === 'address' && vs.key.addr.port === 0) {
      report(state, `Virtual server ${F()}: zero port only valid for persistent services - setting`);
      vs.persistenceTimeoutS = IPVS_SVC_PERSISTENT_TIMEOUT;
    }
  }
  if (!vs.persistenceTimeoutS && g && gRanges.some((e) => e.start.port === 0)) {
    report(state, `Virtual server ${F()}: zero port only valid for persistent services - setting`);
    vs.persistenceTimeoutS = IPVS_SVC_PERSISTENT_TIMEOUT;
  }
  if (vs.protocol && ((g && !gRanges.length && gMarks.length) || (!g && vs.key.kind === 'fwmark'))) {
    report(state, `Warning: Virtual server ${F()}: protocol specified for fwmark - protocol will be ignored`);
    delete vs.protocol;
  }
  if (!vs.scheduler) {
    report(state, `Virtual server ${F()}: no scheduler set, setting default 'wlc'`);
    vs.scheduler = 'wlc';
  }
  vs.smtpAlert ??= gd.smtpAlertChecker ?? gd.smtpAlert ?? false;
  const vsForwarding = () => {
    if (!vs.forwarding) {
      report(state, `Virtual server ${F()}: no forwarding method set, setting default NAT`);
      vs.forwarding = makeForwarding('NAT', defaultTunnel.tunnelType, defaultTunnel.tunnelPort, defaultTunnel.tunnelCsum);
    }
    return copyForwarding(vs.forwarding);
  };
  let weightSum = 0;
  const kept: RealServer[] = [];
  for (const rs of vs.realServers) {
    if (kept.some((r) => sameRs(r, rs))) {
      report(state, `VS ${F()}: real server ${fmtRs(rs, vs)} is duplicated - removing second rs`);
      continue;
    }
    kept.push(rs);
    rs.forwarding ??= vsForwarding();
    const w = rs.written;
    rs.alpha = w.alpha ?? vs.alpha;
    rs.inhibitOnFailure = w.inhibitOnFailure ?? vs.inhibitOnFailure;
    const retry = w.retry ?? vs.retry;
    if (retry !== undefined) rs.retry = retry;
    rs.connectTimeoutMs = w.connectTimeoutMs ?? vs.connectTimeoutMs;
    rs.delayLoopMs = w.delayLoopMs ?? vs.delayLoopMs;
    const warm = w.warmupMs ?? vs.warmupMs;
    if (warm !== undefined) rs.warmupMs = warm;
    const dbr = w.delayBeforeRetryMs ?? vs.delayBeforeRetryMs;
    if (dbr !== undefined) rs.delayBeforeRetryMs = dbr;
    rs.weight = w.weight ?? vs.weight;
    if (rs.virtualhost === undefined && vs.virtualhost !== undefined) rs.virtualhost = vs.virtualhost;
    // keepalived: real servers default to true "to maintain backwards compatibility"
    rs.smtpAlert = rs.smtpAlertWritten ?? gd.smtpAlertChecker ?? gd.smtpAlert ?? true;
    weightSum += rs.weight;
    const ss = vs.sorryServer;
    if (ss && sameRs(ss, rs) && ss.inhibit !== rs.inhibitOnFailure) {
      report(state, `Virtual server ${F()}: real server ${fmtRs(rs, vs)} matches sorry server, but inhibit setting differs, ${rs.inhibitOnFailure ? 'sett' : 'clear'}ing on sorry server`);
      ss.inhibit = rs.inhibitOnFailure;
    }
  }
  vs.realServers = kept;
  if (vs.sorryServer && !vs.sorryServer.forwarding) vs.sorryServer.forwarding = vsForwarding();
  if (vs.quorum > weightSum) {
    report(state, `Warning - quorum ${vs.quorum} for ${F()} exceeds total weight of real servers ${weightSum}, reducing quorum to ${weightSum}`);
    vs.quorum = weightSum;
  }
  if (vs.hysteresis >= vs.quorum) {
    const h = vs.quorum === 0 ? 4294967295 : vs.quorum - 1;
    report(state, `Virtual server ${F()}: hysteresis ${vs.hysteresis} >= quorum ${vs.quorum}; setting hysteresis to ${h}`);
    vs.hysteresis = h;
  }
  checkPorts(state, vs, g);
}

/** keepalived: the port checks at the end of validate_check_config(). */
function checkPorts(state: BuildState, vs: VirtualServer, g: VirtualServerGroup | undefined): void {
  const F = fmtVs(vs);
  const ss = vs.sorryServer;
  const notNat = (f: { forwarding?: { method: string } }): boolean => f.forwarding?.method !== 'NAT';
  if (g) {
    if (g.entries.some((e) => e.kind === 'fwmark')) {
      for (const rs of vs.realServers)
        if (notNat(rs) && rs.addr.port)
          report(state, `WARNING - fwmark virtual server ${F}, real server ${fmtRs(rs, vs)} has port specified - port will be ignored`);
      if (ss && notNat(ss) && ss.addr.port)
        report(state, `WARNING - fwmark virtual server ${F}, sorry server has port specified - port will be ignored`);
    }
    for (const e of g.entries) {
      if (e.kind !== 'range') continue;
      const ge = e.start.address === e.end.address ? `${e.start.address},${e.start.port}` : `${e.start.address}-${e.end.address},${e.start.port}`;
      for (const rs of vs.realServers)
        if (notNat(rs) && rs.addr.port && rs.addr.port !== e.start.port)
          report(state, `virtual server ${F}:[${ge}] and real server ${fmtRs(rs, vs)} ports don't match`);
      if (ss && notNat(ss) && ss.addr.port && ss.addr.port !== e.start.port)
        report(state, `WARNING - virtual server ${F}, sorry server has port specified - port will be ignored`);
    }
    return;
  }
  const vsPort = vs.key.kind === 'address' ? vs.key.addr.port : 0;
  for (const rs of vs.realServers) {
    if (!notNat(rs)) {
      if (vs.key.kind !== 'fwmark' && !rs.addr.port) rs.addr.port = vsPort;
      continue;
    }
    if (vs.key.kind === 'fwmark') {
      if (rs.addr.port) {
        report(state, `WARNING - fwmark virtual server ${F}, real server ${fmtRs(rs, vs)} has port specified - clearing`);
        rs.addr.port = 0;
      }
    } else if (!rs.addr.port) rs.addr.port = vsPort;
    else if (rs.addr.port !== vsPort) {
      report(state, `WARNING - virtual server ${F} and real server ${fmtRs(rs, vs)} ports don't match - resetting`);
      rs.addr.port = vsPort;
    }
  }
  if (ss && notNat(ss)) {
    if (vs.key.kind === 'fwmark') {
      if (ss.addr.port) {
        report(state, `WARNING - virtual server ${F}, sorry server has port specified - clearing`);
        ss.addr.port = 0;
      }
    } else if (!ss.addr.port) ss.addr.port = vsPort;
    else if (ss.addr.port !== vsPort) {
      report(state, `WARNING - virtual server ${F} and sorry server ports don't match - resetting`);
      ss.addr.port = vsPort;
    }
  }
}

/** keepalived: the checkers_queue loop — take defaults from the real server. */
function resolveChecker(rs: RealServer, k: Checker): void {
  const w = k.written;
  k.alpha = w.alpha ?? rs.alpha;
  if (k.type === 'BFD_CHECK' || k.type === 'FILE_CHECK') return; // keepalived: no launch function
  const defRetry = k.type === 'MISC_CHECK' ? 0 : k.type === 'DNS_CHECK' ? 3 : 1;
  k.retry = w.retry ?? rs.retry ?? defRetry;
  if ('connection' in k) k.connection.connectTimeoutMs ??= rs.connectTimeoutMs;
  k.delayLoopMs = w.delayLoopMs ?? rs.delayLoopMs;
  k.warmupMs = w.warmupMs ?? rs.warmupMs ?? k.delayLoopMs;
  const defDbr = k.type === 'HTTP_GET' || k.type === 'SSL_GET' ? 3_000 : k.type === 'DNS_CHECK' ? 0 : 1_000;
  k.delayBeforeRetryMs = w.delayBeforeRetryMs ?? rs.delayBeforeRetryMs ?? (defDbr || k.delayLoopMs);
}

export function validateLvs(state: BuildState): void {
  const lvs = state.config.lvs;
  const links = linkGroups(state);
  lvs.virtualServers = lvs.virtualServers.filter((vs) => {
    if (vs.realServers.length === 0) {
      report(state, `Virtual server ${fmtVs(vs)} has no real servers - ignoring`);
      return false;
    }
    validateVs(state, vs, links.get(vs));
    return true;
  });
  for (const vs of lvs.virtualServers) for (const rs of vs.realServers) for (const k of rs.checkers) resolveChecker(rs, k);
}
