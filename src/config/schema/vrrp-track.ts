/**
 * Tracking objects of the VRRP pass: `vrrp_script`, `vrrp_track_process`,
 * `track_file` definitions (keepalived: vrrp_parser.c, trackers/track_file.c)
 * and the track_* entry lines of instances and sync groups (vrrp_track.c
 * alloc_track_if/script/process/bfd, track_file.c vrrp_alloc_track_file()).
 */
import type { BlockSpec, HandlerCtx, KeywordSpec } from '../engine.js';
import { INT_MAX, INT_MIN, TIMER_HZ, UINT_MAX, readInt, sub } from '../engine.js';
import type { BuildState, TrackFileDef } from '../model.js';
import type { ScriptSpec } from './script.js';
import { applyDefaultUser, lookupUser, splitQuotedEscaped } from './script.js';
import { ifGet } from './vrrp-common.js';
import { trackFileInitAction } from '../../track/track-file-init.js';
import type { TrackFilePathState } from '../../track/track-file-init.js';

export interface VrrpScript {
  name: string;
  script: ScriptSpec;
  intervalMs: number;
  /** 0: use the interval. */
  timeoutMs: number;
  weight: number;
  weightReverse: boolean;
  rise: number;
  fall: number;
  initFail: boolean;
}

export interface TrackProcess {
  name: string;
  process: string;
  params?: string[];
  paramMatch: 'none' | 'exact' | 'initial' | 'partial';
  weight: number;
  weightReverse: boolean;
  quorum: number;
  /** 0xffffffff: unlimited. */
  quorumMax: number;
  terminateDelayMs: number;
  forkDelayMs: number;
  fullCommand: boolean;
}

export interface TrackedInterface {
  name: string;
  weight: number;
  reverse: boolean;
}
export interface TrackedRef {
  name: string;
  weight: number;
  reverse: boolean;
}

export interface TrackLists {
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackedRef[];
  trackFiles: TrackedRef[];
  trackProcesses: TrackedRef[];
  trackBfds: TrackedRef[];
}

export function emptyTrackLists(): TrackLists {
  return { trackInterfaces: [], trackScripts: [], trackFiles: [], trackProcesses: [], trackBfds: [] };
}

/* ---------------------------------------------------------------- vrrp_script */

interface ScriptDraft {
  name: string;
  script?: ScriptSpec;
  userSet: boolean;
  remove: boolean;
  def: Omit<VrrpScript, 'script' | 'name'>;
  user?: { user: string; group?: string; uid: number; gid: number };
}

type SC = HandlerCtx<ScriptDraft>;

const uintSeconds = (c: SC, what: string): number | undefined => {
  const v = c.readUnsigned(1, 0, Math.floor(UINT_MAX / TIMER_HZ));
  if (v === undefined) return undefined;
  if (v === 0) {
    c.error(`(${c.target.name}): vrrp script ${what} must be greater than 0, setting to 1`);
    return 1;
  }
  return v;
};

const vrrpScriptSpec: BlockSpec<ScriptDraft> = {
  name: 'vrrp_script',
  keywords: {
    script: {
      handler: (c) => {
        // keepalived: vrrp_vscript_script_handler() — the user comes from `user`, or the default at block end.
        const line = splitQuotedEscaped(c.stmt.raw);
        const cmd = line.ok ? line.words[1] : undefined;
        const argv = cmd === undefined ? undefined : splitQuotedEscaped(cmd);
        if (!argv?.ok || argv.words.length === 0) {
          c.log(`Unable to parse script '${cmd ?? ''}' - ignoring`);
          return;
        }
        c.target.script = { argv: argv.words, uid: 0, gid: 0, kind: 'vrrp_script', subsystem: 'vrrp', loc: c.loc };
      },
    },
    interval: {
      handler: (c) => {
        const v = uintSeconds(c, 'interval');
        if (v === undefined) {
          c.error(`(${c.target.name}): vrrp script interval '${c.word(1)}' must be between 1 and ${Math.floor(UINT_MAX / TIMER_HZ)} - ignoring`);
          return;
        }
        c.target.def.intervalMs = v * 1000;
      },
    },
    timeout: {
      handler: (c) => {
        const v = uintSeconds(c, 'timeout');
        if (v === undefined) {
          c.error(`(${c.target.name}): vrrp script timeout '${c.word(1)}' invalid - ignoring`);
          return;
        }
        c.target.def.timeoutMs = v * 1000;
      },
    },
    weight: {
      handler: (c) => {
        // keepalived: vrrp_vscript_weight_handler() stores the value even when out of range.
        const raw = c.word(1);
        const v = readInt(c, raw, -253, 253);
        if (v === undefined) c.error(`vrrp_script ${c.target.name} weight ${raw} must be in [-253, 253]`);
        c.target.def.weight = v ?? lenientInt(raw);
        if (c.has(2)) {
          if (c.word(2) === 'reverse') c.target.def.weightReverse = true;
          else c.error(`vrrp_script ${c.target.name} unknown weight option ${c.word(2)}`);
        }
      },
    },
    rise: { handler: (c) => riseFall(c, 'rise') },
    fall: { handler: (c) => riseFall(c, 'fall') },
    user: {
      handler: (c) => {
        const state = c.env.shared as BuildState;
        const user = c.word(1);
        const group = c.has(2) ? c.word(2) : undefined;
        const ids = lookupUser(state, user, group);
        if (!ids) {
          c.error(`Unable to set uid/gid for script ${c.target.script?.argv.join(' ') ?? ''}`, { host: true });
          c.target.remove = true;
          return;
        }
        c.target.remove = false;
        c.target.userSet = true;
        c.target.user = { user, ...(group !== undefined ? { group } : {}), ...ids };
      },
    },
    init_fail: { handler: (c) => void (c.target.def.initFail = true) },
  },
};

/**
 * vrrp_scripts dropped for a host reason (their user is missing), by name: a later reference to one
 * of them is "not found" only because of the host, so that message is a host fact too.
 */
const hostRemovedScripts = new WeakMap<object, Set<string>>();

function markHostRemoved(state: BuildState, name: string): void {
  let set = hostRemovedScripts.get(state.config);
  if (!set) hostRemovedScripts.set(state.config, (set = new Set()));
  set.add(name);
}

function removedForHost(state: BuildState, kind: EntryKind, name: string): boolean {
  return kind === 'script' && (hostRemovedScripts.get(state.config)?.has(name) ?? false);
}

/** strtol prefix, as keepalived keeps it for an out-of-range weight. */
function lenientInt(s: string): number {
  const m = /^\s*([+-]?[0-9]+)/.exec(s);
  const v = m ? Number(m[1]) : 0;
  return Math.max(INT_MIN, Math.min(INT_MAX, v));
}

function riseFall(c: SC, what: 'rise' | 'fall'): void {
  const v = c.readUnsigned(1, 1, INT_MAX);
  if (v === undefined) c.error(`(${c.target.name}): vrrp script ${what} value '${c.word(1)}' invalid, defaulting to 1`);
  c.target.def[what] = v ?? 1;
}

export const vrrpScriptKeyword: KeywordSpec<BuildState> = {
  passes: ['vrrp'],
  sub: sub<BuildState, ScriptDraft>(
    (c) => ({
      name: c.word(1),
      userSet: false,
      remove: false,
      def: { intervalMs: 1000, timeoutMs: 0, weight: 0, weightReverse: false, rise: 1, fall: 1, initFail: false },
    }),
    vrrpScriptSpec,
    (c, state) => {
      // keepalived: vrrp_vscript_end_handler()
      const d = c.target;
      if (!d.script || d.script.argv.length === 0) {
        c.error(`No script set for vrrp_script ${d.name} - removing`);
        return;
      }
      if (d.remove) {
        // removed because its `user` does not exist on this host
        markHostRemoved(state, d.name);
        return;
      }
      if (d.user) Object.assign(d.script, d.user);
      else if (!d.userSet && !applyDefaultUser(c, state, d.script)) {
        c.error(`Unable to set default user for vrrp script ${d.name} - removing`, { host: true });
        markHostRemoved(state, d.name);
        return;
      }
      state.scripts.push(d.script);
      state.config.vrrp.scripts.push({ name: d.name, script: d.script, ...d.def });
    },
  ),
};

/* --------------------------------------------------------- vrrp_track_process */

type PC = HandlerCtx<TrackProcess>;

function processDelay(c: PC, kind: '' | 'terminate_' | 'fork_'): void {
  const v = c.readDecimal(1, 1, 3600 * TIMER_HZ, 6);
  if (v === undefined) {
    c.error(`${kind}delay (${c.word(1)}) for vrrp_track_process ${c.target.name} must be between [0.000001..3600] inclusive. Ignoring...`);
    return;
  }
  if (kind !== 'fork_') c.target.terminateDelayMs = v / 1000;
  if (kind !== 'terminate_') c.target.forkDelayMs = v / 1000;
}

const trackProcessSpec: BlockSpec<TrackProcess> = {
  name: 'vrrp_track_process',
  keywords: {
    process: {
      handler: (c) => {
        const p = c.target;
        if (p.process !== '') {
          c.error(`Process already set for track process ${p.name} - ignoring ${c.word(1)}`);
          return;
        }
        p.process = c.word(1);
        if (c.words.length > 2) {
          p.params = c.words.slice(2);
          if (p.paramMatch === 'none') p.paramMatch = 'exact';
          p.fullCommand = true;
        }
      },
    },
    param_match: {
      handler: (c) => {
        const m = c.has(1) ? c.word(1) : 'exact';
        if (m === 'exact' && !c.has(1)) c.target.paramMatch = 'exact';
        else if (m === 'initial' || m === 'partial') c.target.paramMatch = m;
        else {
          c.error(`Invalid param_match type ${m} - ignoring`);
          return;
        }
        c.target.fullCommand = true;
      },
    },
    weight: {
      handler: (c) => {
        const p = c.target;
        if (!c.has(1)) return c.error(`No weight specified for track process ${p.name} - ignoring`);
        if (p.weight) return c.error(`Weight already set for track process ${p.name} - ignoring ${c.word(1)}`);
        const v = readInt(c, c.word(1), -254, 254);
        if (v === undefined)
          return c.error(`Weight (${c.word(1)}) for vrrp_track_process ${p.name} must be between [-254..254] inclusive. Ignoring...`);
        if (c.has(2)) {
          if (c.word(2) === 'reverse') p.weightReverse = true;
          else c.error(`vrrp_track_process ${p.name} unknown weight option ${c.word(2)}`);
        }
        p.weight = v;
      },
    },
    quorum: {
      handler: (c) => {
        const p = c.target;
        const v = c.readUnsigned(1, 1, 65535);
        if (v === undefined)
          return c.error(`Quorum (${c.word(1)}) for vrrp_track_process ${p.name} must be between [1..65535] inclusive. Ignoring...`);
        if (v > p.quorumMax) return c.error('Quorum is greater than quorum_max - ignoring');
        p.quorum = v;
      },
    },
    quorum_max: {
      handler: (c) => {
        const p = c.target;
        const v = c.readUnsigned(1, 0, 65535);
        if (v === undefined)
          return c.error(`quorum_max (${c.word(1)}) for vrrp_track_process ${p.name} must be between [0..65535] inclusive. Ignoring...`);
        if ((v || p.quorum > 1) && v < p.quorum) return c.error('quorum_max is less than quorum - ignoring');
        p.quorumMax = v;
        if (v === 0) p.quorum = 0;
        else if (!p.quorum) p.quorum = 1;
      },
    },
    delay: { handler: (c) => processDelay(c, '') },
    terminate_delay: { handler: (c) => processDelay(c, 'terminate_') },
    fork_delay: { handler: (c) => processDelay(c, 'fork_') },
    full_command: { handler: (c) => void (c.target.fullCommand = true) },
  },
};

/** A vrrp_track_process with keepalived's defaults (vrrp_tprocess_handler()). */
export function defaultTrackProcess(name: string, process = ''): TrackProcess {
  return {
    name,
    process,
    paramMatch: 'none',
    weight: 0,
    weightReverse: false,
    quorum: 1,
    quorumMax: UINT_MAX,
    terminateDelayMs: 0,
    forkDelayMs: 0,
    fullCommand: false,
  };
}

export const vrrpTrackProcessKeyword: KeywordSpec<BuildState> = {
  passes: ['vrrp'],
  sub: sub<BuildState, TrackProcess>(
    (c) => defaultTrackProcess(c.word(1)),
    trackProcessSpec,
    (c, state) => {
      if (c.target.process === '') {
        c.error(`track process '${c.target.name}' process name not specified`);
        return;
      }
      state.config.vrrp.trackProcesses.push(c.target);
    },
  ),
};

/* ------------------------------------------------------------------ track_file */

interface TrackFileDraft {
  def: TrackFileDef;
  hasFile: boolean;
}
type FC = HandlerCtx<TrackFileDraft>;

const trackFileSpec: BlockSpec<TrackFileDraft> = {
  name: 'track_file',
  keywords: {
    file: {
      handler: (c) => {
        if (!c.has(1)) return c.error('track file file name missing');
        if (c.target.hasFile) return c.error(`File already set for track file ${c.target.def.name} - ignoring ${c.word(1)}`);
        c.target.def.file = c.word(1);
        c.target.hasFile = true;
      },
    },
    weight: {
      handler: (c: FC) => {
        const d = c.target.def;
        if (!c.has(1)) return c.error(`No weight specified for track file ${d.name} - ignoring`);
        // keepalived: track_file_weight_handler() detects "already set" by weight != 1.
        if (d.weight !== 1) return c.error(`Weight already set for track file ${d.name} - ignoring ${c.word(1)}`);
        const v = readInt(c, c.word(1), -254, 254);
        if (v === undefined)
          c.error(`Weight (${c.word(1)}) for track_file ${d.name} must be between [-254..254] inclusive. Ignoring...`);
        d.weight = v ?? 1;
        if (c.has(2)) {
          if (c.word(2) === 'reverse') d.reverse = true;
          else c.error(`track_file ${d.name} unknown weight option ${c.word(2)}`);
        }
      },
    },
    init_file: {
      handler: (c: FC) => {
        const d = c.target.def;
        const init = { value: 0, overwrite: false };
        for (let i = 1; i < c.words.length; i++) {
          const word = (c.words[i] ?? '').replace(/^[ \t\n\v\f\r]+/, '');
          if (/^[0-9-]/.test(word)) {
            let v = readInt(c, c.words[i] ?? '', INT_MIN, INT_MAX);
            if (v === undefined) {
              c.error(`Track file ${d.name} init value ${word} is invalid`);
              v = 0;
            } else if (v < -254 || v > 254)
              c.error(`Track file ${d.name} init value ${v} is outside sensible range [-254, 254]`);
            init.value = v;
          } else if (word === 'overwrite') init.overwrite = true;
          else c.error(`Unknown track file init option ${word}`);
        }
        d.init = init;
      },
    },
  },
};

const trackFileKeyword = (deprecated: boolean): KeywordSpec<BuildState> => ({
  passes: ['checker', 'vrrp'],
  sub: sub<BuildState, TrackFileDraft>(
    (c) => {
      const name = c.word(1);
      if (deprecated) c.log('"vrrp_track_file" is deprecated, please use "track_file"');
      return { def: { name, file: '', weight: 1, reverse: false }, hasFile: false };
    },
    trackFileSpec,
    (c, state) => {
      if (!c.target.hasFile) {
        c.error(`No file set for track_file ${c.target.def.name} - ignoring`);
        return;
      }
      const def = c.target.def;
      // keepalived keeps a list and finds the first by name; keep the first too.
      if (!state.config.trackFiles.has(def.name)) state.config.trackFiles.set(def.name, def);
      if (def.init === undefined) return;
      state.config.trackFileInits.push({ name: def.name, file: def.file, init: def.init });
      // keepalived stats the path here, also under -t (it writes only when not testing);
      // only `overwrite` can make what it finds an error.
      if (!def.init.overwrite) return;
      const f = state.host.file(def.file);
      const at: TrackFilePathState = f === undefined ? 'missing' : f.isFile ? 'regular' : 'other';
      if (trackFileInitAction(def.init, at, false).kind === 'not-regular')
        c.error(`Cannot initialise track file ${def.name} - it is not a regular file`, { host: true });
    },
  ),
});

export const trackFileKeywords = { track_file: trackFileKeyword(false), vrrp_track_file: trackFileKeyword(true) };

/* ------------------------------------------------------- track_* entry lines */

type EntryKind = 'script' | 'file' | 'process' | 'bfd';

/** Names known to the VRRP pass, for track_bfd (bfd_instance is parsed by schema/global-defs.ts). */
function bfdDefault(state: BuildState, name: string): TrackedRef | undefined {
  const g = state.config.global as unknown as { bfdInstances?: unknown };
  const list = g.bfdInstances;
  const names: string[] = [];
  if (list instanceof Map) for (const k of list.keys()) names.push(String(k));
  else if (Array.isArray(list))
    for (const b of list as unknown[]) {
      const n = typeof b === 'string' ? b : (b as { name?: unknown } | null)?.name;
      if (typeof n === 'string') names.push(n);
    }
  return names.includes(name) ? { name, weight: 0, reverse: false } : undefined;
}

function lookup(state: BuildState, kind: EntryKind, name: string): TrackedRef | undefined {
  const v = state.config.vrrp;
  switch (kind) {
    case 'script': {
      const s = v.scripts.find((x) => x.name === name);
      return s && { name, weight: s.weight, reverse: s.weightReverse };
    }
    case 'process': {
      const p = v.trackProcesses.find((x) => x.name === name);
      return p && { name, weight: p.weight, reverse: p.weightReverse };
    }
    case 'file': {
      const f = state.config.trackFiles.get(name);
      return f && { name, weight: f.weight, reverse: f.reverse };
    }
    case 'bfd':
      return bfdDefault(state, name);
  }
}

const LABEL: Record<EntryKind, { found: string; dup: string; opt: string; noVal: string; weightOpt: string }> = {
  script: { found: 'track script', dup: 'track_script', opt: 'track script option', noVal: 'track script', weightOpt: 'track_script' },
  file: { found: 'track file', dup: 'track_file', opt: 'track file option', noVal: 'track file', weightOpt: 'track file' },
  process: { found: 'track process', dup: 'track_process', opt: 'track process option', noVal: 'track process', weightOpt: 'track_process' },
  bfd: { found: 'track bfd', dup: 'track_bfd', opt: 'track bfd', noVal: 'track bfd', weightOpt: 'track bfd' },
};

/** keepalived: alloc_track_script/process/bfd(), vrrp_alloc_track_file(). */
export function addTrackedRef(c: HandlerCtx<unknown>, state: BuildState, owner: string, kind: EntryKind, list: TrackedRef[]): void {
  const w = c.words;
  const name = w[0] ?? '';
  const L = LABEL[kind];
  const found = lookup(state, kind, name);
  if (!found) {
    const msg = `(${owner}) ${L.found} ${name} not found, ignoring...`;
    return removedForHost(state, kind, name) ? c.error(msg, { host: true }) : c.error(msg);
  }
  if (list.some((e) => e.name === name)) return c.error(`(${owner}) duplicate ${L.dup} ${name} - ignoring`);
  let { weight, reverse } = found;
  if (w.length >= 2) {
    if (w[1] !== 'weight') {
      return c.error(kind === 'bfd' ? `(${owner}) unknown track bfd ${name} option ${w[1] ?? ''} - ignoring` : `(${owner}) unknown ${L.opt} ${w[1] ?? ''} - ignoring`);
    }
    if (w.length === 2) return c.error(`(${owner}) weight without value specified for ${L.noVal} ${name} - ignoring`);
    const lim = kind === 'bfd' ? 253 : 254;
    const v = readInt(c, w[2] ?? '', -lim, lim);
    if (v === undefined) {
      c.error(
        kind === 'script'
          ? `(${owner}) track script ${name}: weight must be between [-253..253] inclusive, ignoring...`
          : kind === 'file'
            ? `(${owner}) weight for track file ${name} must be in [-254..254] inclusive. Ignoring...`
            : `(${owner}) weight for ${L.found} ${name} must be in [-${lim}..${lim}] inclusive. Ignoring...`,
      );
    } else if (kind === 'script' && (v === 254 || v === -254)) {
      c.error(`(${owner}) weight for ${name} cannot be +/-254. Setting to +/-253`);
      weight = v < 0 ? -253 : 253;
    } else weight = v;
    if (w.length >= 4) {
      if (w[3] === 'reverse') reverse = true;
      else if (w[3] === 'noreverse') reverse = false;
      else {
        c.error(`(${owner}) unknown ${L.weightOpt} ${name} weight option ${w[3] ?? ''} - ignoring`);
        if (kind === 'file' || kind === 'bfd') return;
      }
    }
  }
  list.push({ name, weight, reverse });
}

/** keepalived: alloc_track_if(). */
export function addTrackedInterface(c: HandlerCtx<unknown>, state: BuildState, owner: string, list: TrackedInterface[]): void {
  const w = c.words;
  const name = w[0] ?? '';
  if (!ifGet(state, name)) return c.error(`(${owner}) tracked interface ${name} doesn't exist`, { host: true });
  if (list.some((e) => e.name === name)) return c.error(`(${owner}) duplicate track_interface ${name} - ignoring`);
  let weight = 0;
  let reverse = false;
  if (w.length >= 2) {
    if (w[1] !== 'weight') return c.error(`(${owner}) unknown track_interface ${name} option ${w[1] ?? ''} - ignoring`);
    if (w.length === 2) return c.error(`(${owner}) weight without value specified for track_interface ${name} - ignoring`);
    const v = readInt(c, w[2] ?? '', -254, 254);
    if (v === undefined) c.error(`(${owner}) weight ${w[2] ?? ''} for ${name} must be between [-253..253] inclusive. Ignoring...`);
    else if (v === 254 || v === -254) {
      c.error(`(${owner}) weight for ${name} cannot be +/-254. Setting to +/-253`);
      weight = v < 0 ? -253 : 253;
    } else weight = v;
    if (w.length >= 4) {
      if (w[3] === 'reverse') reverse = true;
      else c.error(`(${owner}) unknown track_interace ${name} weight option ${w[3] ?? ''} - ignoring`);
    }
  }
  list.push({ name, weight, reverse });
}

/** The five track_* value-block keywords, for an owner (instance or sync group). */
export function trackKeywords<T extends TrackLists & { name: string }>(): Record<string, KeywordSpec<T>> {
  const block =
    (fn: (c: HandlerCtx<unknown>, state: BuildState, t: T) => void) =>
    (c: HandlerCtx<T>): void => {
      const state = c.env.shared as BuildState;
      for (const s of c.valueBlock()) fn(c.with<unknown>(c.target, s), state, c.target);
    };
  return {
    track_interface: { handler: block((c, s, t) => addTrackedInterface(c, s, t.name, t.trackInterfaces)) },
    track_script: { handler: block((c, s, t) => addTrackedRef(c, s, t.name, 'script', t.trackScripts)) },
    track_file: { handler: block((c, s, t) => addTrackedRef(c, s, t.name, 'file', t.trackFiles)) },
    track_process: { handler: block((c, s, t) => addTrackedRef(c, s, t.name, 'process', t.trackProcesses)) },
    track_bfd: { handler: block((c, s, t) => addTrackedRef(c, s, t.name, 'bfd', t.trackBfds)) },
  };
}
