/**
 * Everything keepalived parses in its VRRP pass: the section model, the
 * top-level keywords and the post-parse validation. The keyword tables live in
 * vrrp-instance.ts, vrrp-track.ts, vrrp-sync-group.ts, address.ts and route.ts.
 */
import type { KeywordSpec } from '../engine.js';
import type { BuildState } from '../model.js';
import type { IpAddress } from './address.js';
import type { Route, Rule } from './route.js';
import type { VrrpInstance } from './vrrp-instance.js';
import { vrrpInstanceKeyword } from './vrrp-instance.js';
import type { GarpGroup, LinkbeatInterface, StaticTrackGroup, SyncGroup, UpDownDelay } from './vrrp-sync-group.js';
import { garpGroupKeyword, staticKeywords, syncGroupKeyword, trackGroupKeyword } from './vrrp-sync-group.js';
import type { TrackProcess, VrrpScript } from './vrrp-track.js';
import { trackFileKeywords, vrrpScriptKeyword, vrrpTrackProcessKeyword } from './vrrp-track.js';

export type { IpAddress, Route, Rule, VrrpInstance, GarpGroup, LinkbeatInterface, StaticTrackGroup, SyncGroup, UpDownDelay, TrackProcess, VrrpScript };
export { validateVrrp } from './vrrp-validate.js';
export { vrrpScriptSecurityApplies } from './vrrp-common.js';

export interface VrrpSection {
  instances: VrrpInstance[];
  syncGroups: SyncGroup[];
  scripts: VrrpScript[];
  trackProcesses: TrackProcess[];
  trackGroups: StaticTrackGroup[];
  staticAddresses: IpAddress[];
  staticRoutes: Route[];
  staticRules: Rule[];
  garpGroups: GarpGroup[];
  linkbeat: LinkbeatInterface[];
  upDownDelays: UpDownDelay[];
}

export function createVrrpSection(): VrrpSection {
  return {
    instances: [],
    syncGroups: [],
    scripts: [],
    trackProcesses: [],
    trackGroups: [],
    staticAddresses: [],
    staticRoutes: [],
    staticRules: [],
    garpGroups: [],
    linkbeat: [],
    upDownDelays: [],
  };
}

/** keepalived: init_vrrp_keywords() + add_track_file_keywords(). */
export const vrrpRootKeywords: Record<string, KeywordSpec<BuildState>> = {
  track_group: trackGroupKeyword,
  ...staticKeywords,
  vrrp_sync_group: syncGroupKeyword,
  garp_group: garpGroupKeyword,
  vrrp_instance: vrrpInstanceKeyword,
  vrrp_script: vrrpScriptKeyword,
  vrrp_track_process: vrrpTrackProcessKeyword,
  ...trackFileKeywords,
};
