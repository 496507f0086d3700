/**
 * `vrrp_sync_group`, `track_group`, `garp_group`, `linkbeat_interfaces`,
 * `interface_up_down_delays` and the `static_*` blocks (keepalived:
 * vrrp_parser.c, vrrp_data.c alloc_saddress/alloc_sroute/alloc_srule).
 */
import type { BlockSpec, HandlerCtx, KeywordSpec } from '../engine.js';
import { SKIP, checkTrueFalse, sub } from '../engine.js';
import type { BuildState } from '../model.js';
import type { ScriptSpec } from './script.js';
import { readScript } from './script.js';
import { parseAddressLine } from './address.js';
import { parseRouteLine, parseRuleLine } from './route.js';
import { ifGet, ifGetNoLatch } from './vrrp-common.js';
import type { TrackLists } from './vrrp-track.js';
import { emptyTrackLists, trackKeywords } from './vrrp-track.js';

export interface SyncGroup extends TrackLists {
  name: string;
  /** Member names as written; undefined when no `group` block was given. */
  members?: string[];
  notify: { master?: ScriptSpec; backup?: ScriptSpec; fault?: ScriptSpec; stop?: ScriptSpec; generic?: ScriptSpec };
  smtpAlert?: boolean;
  notifyPriorityChanges?: boolean;
  syncGroupTrackingWeight: boolean;
}

export interface StaticTrackGroup {
  name: string;
  members?: string[];
}

export interface GarpGroup {
  garpIntervalUs?: number;
  gnaIntervalUs?: number;
  interfaces: string[];
}

export interface LinkbeatInterface {
  name: string;
  type: 'default' | 'MII' | 'ETHTOOL' | 'IOCTL';
}

export interface UpDownDelay {
  name: string;
  downDelayUs: number;
  upDelayUs: number;
}

type GC = HandlerCtx<SyncGroup>;
type NotifyKind = 'master' | 'backup' | 'fault' | 'stop' | 'generic';

function groupNotify(kind: NotifyKind): KeywordSpec<SyncGroup> {
  const kw = kind === 'generic' ? 'notify' : `notify_${kind}`;
  return {
    handler: (c: GC) => {
      const g = c.target;
      if (g.notify[kind]) return c.error(`vrrp group ${g.name}: ${kw} script already specified - ignoring ${c.word(1)}`);
      const s = readScript(c, c.env.shared as BuildState, { kind: kw, subsystem: 'vrrp', userFromLine: true });
      if (s) g.notify[kind] = s;
    },
  };
}

const syncGroupSpec: BlockSpec<SyncGroup> = {
  name: 'vrrp_sync_group',
  keywords: {
    group: {
      handler: (c) => {
        const g = c.target;
        if (g.members) {
          c.error(`Group list already specified for sync group ${g.name}`);
          c.valueBlock(); // keepalived: skip_block(true)
          return;
        }
        const words = c.valueBlockWords().map((x) => x.word);
        if (words.length === 0) c.error(`Warning - sync group ${g.name} has empty group block`);
        else g.members = words;
      },
    },
    ...trackKeywords<SyncGroup>(),
    notify_backup: groupNotify('backup'),
    notify_master: groupNotify('master'),
    notify_fault: groupNotify('fault'),
    notify_stop: groupNotify('stop'),
    notify: groupNotify('generic'),
    smtp_alert: {
      handler: (c) => {
        const v = c.has(1) ? checkTrueFalse(c.word(1)) : true;
        if (v === undefined) return c.error(`Invalid vrrp_group smtp_alert parameter ${c.word(1)}`);
        c.target.smtpAlert = v;
      },
    },
    global_tracking: {
      handler: (c) => {
        c.error(`(${c.target.name}) global_tracking is deprecated. Use track_interface/script/file on the sync group`);
        c.target.syncGroupTrackingWeight = true;
      },
    },
    sync_group_tracking_weight: { handler: (c) => void (c.target.syncGroupTrackingWeight = true) },
    notify_priority_changes: {
      handler: (c) => {
        const v = c.has(1) ? checkTrueFalse(c.word(1)) : true;
        if (v === undefined)
          return c.error(`(${c.target.name}) Invalid value '${c.word(1)}' for sync group notify_priority_changes specified`);
        c.target.notifyPriorityChanges = v;
      },
    },
  },
};

export const syncGroupKeyword: KeywordSpec<BuildState> = {
  passes: ['vrrp'],
  sub: sub<BuildState, SyncGroup>(
    (c) => {
      const state = c.target;
      if (c.words.length !== 2) {
        c.error('vrrp_sync_group must have a name - skipping');
        return SKIP;
      }
      const name = c.word(1);
      if (state.config.vrrp.syncGroups.some((g) => g.name === name)) {
        c.error(`vrrp sync group ${name} already defined`);
        return SKIP;
      }
      const g: SyncGroup = { name, notify: {}, syncGroupTrackingWeight: false, ...emptyTrackLists() };
      state.config.vrrp.syncGroups.push(g);
      return g;
    },
    syncGroupSpec,
  ),
};

const trackGroupSpec: BlockSpec<StaticTrackGroup> = {
  name: 'track_group',
  keywords: {
    group: {
      handler: (c) => {
        const g = c.target;
        if (g.members) {
          c.error(`Group list already specified for sync group ${g.name}`);
          c.valueBlock();
          return;
        }
        const words = c.valueBlockWords().map((x) => x.word);
        if (words.length === 0) c.error(`Warning - track group ${g.name} has empty group block`);
        else g.members = words;
      },
    },
  },
};

export const trackGroupKeyword: KeywordSpec<BuildState> = {
  passes: ['vrrp'],
  sub: sub<BuildState, StaticTrackGroup>(
    (c) => {
      if (c.words.length !== 2) {
        c.error('track_group must have a name - skipping');
        return SKIP;
      }
      const name = c.word(1);
      const list = c.target.config.vrrp.trackGroups;
      if (list.some((g) => g.name === name)) {
        c.error(`track_group ${name} already defined`);
        return SKIP;
      }
      const g: StaticTrackGroup = { name };
      list.push(g);
      return g;
    },
    trackGroupSpec,
  ),
};

/* ------------------------------------------------------------------ garp_group */

interface GarpDraft {
  group: GarpGroup;
  index: number;
}

function garpInterval(c: HandlerCtx<GarpDraft>, which: 'garp' | 'gna'): void {
  const v = c.readDecimal(1, 0, 2147483647, 6);
  if (v === undefined) return c.error(`garp_group ${which}_interval '${c.word(1)}' invalid`);
  if (which === 'garp') c.target.group.garpIntervalUs = v;
  else c.target.group.gnaIntervalUs = v;
  if (v >= 1_000_000) c.log(`The ${which}_interval is very large - ${c.word(1)} seconds`);
}

function garpAddIf(c: HandlerCtx<GarpDraft>, state: BuildState, name: string, strictLog: boolean): void {
  if (!ifGet(state, name)) {
    const msg = `WARNING - interface ${name} specified for garp_group doesn't exist`;
    if (strictLog) c.log(msg);
    else c.error(msg, { host: true });
    return;
  }
  if (state.config.vrrp.garpGroups.some((g) => g.interfaces.includes(name)))
    return c.error(`garp_group already specified for ${name} - ignoring`);
  c.target.group.interfaces.push(name);
}

const garpGroupSpec: BlockSpec<GarpDraft> = {
  name: 'garp_group',
  keywords: {
    garp_interval: { handler: (c) => garpInterval(c, 'garp') },
    gna_interval: { handler: (c) => garpInterval(c, 'gna') },
    interface: { handler: (c) => garpAddIf(c, c.env.shared as BuildState, c.word(1), false) },
    interfaces: {
      handler: (c) => {
        const state = c.env.shared as BuildState;
        const words = c.valueBlockWords();
        if (words.length === 0) return c.error('Warning - empty garp_group interfaces block');
        for (const { word, stmt } of words) garpAddIf(c.with(c.target, stmt), state, word, false);
      },
    },
  },
};

export const garpGroupKeyword: KeywordSpec<BuildState> = {
  passes: ['vrrp'],
  sub: sub<BuildState, GarpDraft>(
    (c) => {
      const group: GarpGroup = { interfaces: [] };
      c.target.config.vrrp.garpGroups.push(group);
      return { group, index: c.target.config.vrrp.garpGroups.length };
    },
    garpGroupSpec,
    (c, state) => {
      const g = c.target.group;
      if (g.garpIntervalUs === undefined && g.gnaIntervalUs === undefined) {
        // keepalived prints the aggregation group number, which is 0 unless `interfaces` was used.
        c.error(`garp group ${g.interfaces.length ? c.target.index : 0} does not have any delay set - removing`);
        const list = state.config.vrrp.garpGroups;
        list.splice(list.indexOf(g), 1);
      }
    },
  ),
};

/* --------------------------------------------- value blocks at the top level */

function valueLines(c: HandlerCtx<BuildState>, fn: (lc: HandlerCtx<unknown>, state: BuildState) => void): void {
  for (const s of c.valueBlock()) fn(c.with<unknown>(c.target, s), c.target);
}

export const staticKeywords: Record<string, KeywordSpec<BuildState>> = {
  static_ipaddress: {
    passes: ['vrrp'],
    handler: (c) =>
      valueLines(c, (lc, state) => {
        const a = parseAddressLine(lc, state, true);
        if (a) state.config.vrrp.staticAddresses.push(a);
      }),
  },
  static_routes: {
    passes: ['vrrp'],
    handler: (c) =>
      valueLines(c, (lc, state) => {
        const r = parseRouteLine(lc, state, true);
        if (r) state.config.vrrp.staticRoutes.push(r);
      }),
  },
  static_rules: {
    passes: ['vrrp'],
    handler: (c) =>
      valueLines(c, (lc, state) => {
        const r = parseRuleLine(lc, state, true);
        if (r) state.config.vrrp.staticRules.push(r);
      }),
  },
  linkbeat_interfaces: {
    passes: ['vrrp'],
    handler: (c) =>
      valueLines(c, (lc, state) => {
        // keepalived: alloc_linkbeat_interface()
        const name = lc.word(0);
        if (!ifGetNoLatch(state, name))
          return lc.report('FATAL', 'KA_CFG_BAD_IF', `unknown interface ${name} specified for linkbeat interface`, { host: true });
        let type: LinkbeatInterface['type'] = 'default';
        if (lc.has(1)) {
          const t = lc.word(1);
          if (t === 'MII' || t === 'ETHTOOL' || t === 'IOCTL') type = t;
          if (type === 'default' || lc.has(2)) lc.error(`extra characters ${t} in linkbeat interface`);
        }
        state.config.vrrp.linkbeat.push({ name, type });
      }),
  },
  interface_up_down_delays: {
    passes: ['vrrp'],
    handler: (c) =>
      valueLines(c, (lc, state) => {
        // keepalived: alloc_if_up_down_delay()
        const name = lc.word(0);
        if (!ifGetNoLatch(state, name))
          return lc.report('FATAL', 'KA_CFG_BAD_IF', `unknown interface ${name} specified for up/down delay`, { host: true });
        if (!lc.has(1)) return lc.log(`No timeouts specified for ${name} up/down delays`);
        if (lc.words.length > 3) lc.log(`Too many parameters for ${name} up/down delays`);
        const down = lc.readTimer(1, 0, 255_000_000);
        if (down === undefined) return lc.log(`Invalid down delay ${lc.word(1)} for ${name}`);
        let up = 0;
        if (lc.has(2)) {
          const u = lc.readTimer(2, 0, 255_000_000);
          if (u === undefined) return lc.log(`Invalid up delay ${lc.word(2)} for ${name}`);
          up = u;
        }
        const list = state.config.vrrp.upDownDelays;
        const old = list.findIndex((d) => d.name === name);
        if (old >= 0) list.splice(old, 1);
        list.push({ name, downDelayUs: down, upDelayUs: up });
      }),
  },
};
