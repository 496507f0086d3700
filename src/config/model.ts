/**
 * The typed configuration: what the reader produces and the daemon runs.
 * Each section is defined next to its keyword table (schema/*.ts); this file
 * composes them. `--dump-conf` prints this object as JSON (docs/config-json.md).
 */
import type { HostFacts } from './host.js';
import type { Pass, Reporter } from './engine.js';
import type { GlobalSection } from './schema/global-defs.js';
import type { LvsSection } from './schema/virtual-server.js';
import type { VrrpSection } from './schema/vrrp.js';
import type { ScriptSpec } from './schema/script.js';

export type { GlobalSection, LvsSection, VrrpSection, ScriptSpec };

/** track_file NAME { file; weight; init_file } — shared by VRRP tracking and FILE_CHECK. */
export interface TrackFileDef {
  name: string;
  file: string;
  weight: number;
  reverse: boolean;
  init?: { value: number; overwrite: boolean };
}

/** A `track_file` block with `init_file`: the daemon writes its file at start-up. */
export interface TrackFileInitEntry {
  readonly name: string;
  readonly file: string;
  readonly init: NonNullable<TrackFileDef['init']>;
}

export interface Config {
  global: GlobalSection;
  vrrp: VrrpSection;
  lvs: LvsSection;
  /** Filled in the VRRP pass (the checker pass sees the same definitions). */
  trackFiles: Map<string, TrackFileDef>;
  /**
   * Every `track_file` block with `init_file`, in config order: keepalived initialises
   * each block's file, also when a later block repeats a name (lookups take the first).
   */
  trackFileInits: TrackFileInitEntry[];
}

/** What every keyword handler can reach: the draft config, the host, the pass. */
export interface BuildState {
  readonly config: Config;
  readonly host: HostFacts;
  readonly pass: Pass;
  readonly reporter: Reporter;
  /** Every script the config would run, for the script-security check (keepalived: check_*_script_secure). */
  readonly scripts: ScriptSpec[];
}
