/**
 * What VRRP instances track, run and watched: vrrp_script (rise/fall policy
 * plus a driver), track_file and interface link state. Each driver reports
 * `(name, TrackerStatus)` changes; the VRRP core turns them into priority and FAULT.
 */
export {
  carryOverOnReload,
  classifyExit,
  initialScriptState,
  recordOutcome,
  type ScriptCheckState,
  type ScriptOutcome,
  type ScriptPolicy,
  type ScriptStep,
  scriptStatus,
} from './script-hysteresis.js';
export {
  ScriptTracker,
  type ScriptTrackerDeps,
  type ScriptTrackerEvent,
  type ScriptTrackerOptions,
  scriptTrackerOptions,
} from './script-tracker.js';
export {
  type DirectoryWatcher,
  FileTracker,
  type FileTrackerDeps,
  type FileTrackerOptions,
  parseTrackFile,
  TRACK_FILE_READ_BYTES,
  type TrackFileReader,
  type TrackFileReading,
} from './file-tracker.js';
export { readTrackFile, watchDirectory } from './track-file-reader.js';
export {
  IFF_RUNNING,
  IFF_UP,
  isLinkUp,
  type LinkReader,
  type LinkSample,
  LinkTracker,
  type LinkTrackerDeps,
  type LinkTrackerOptions,
} from './link-tracker.js';
export { createSysfsLinkReader } from './sysfs-link-reader.js';
export {
  type TrackFileInit,
  type TrackFileInitAction,
  trackFileInitAction,
  type TrackFilePathState,
} from './track-file-init.js';
