/**
 * `track_file … { init_file [VALUE] [overwrite] }`: whether to write the file
 * when the configuration is read (keepalived: track_file_end_handler()).
 *
 * - Without `init_file` nothing is written.
 * - `init_file`: the file is written only when it does not exist.
 * - `init_file overwrite`: an existing regular file is written too; anything
 *   else at the path (a directory, a FIFO, …) is refused with an error. A
 *   reload never overwrites.
 *
 * The text is the value and a newline (`fprintf("%d\n")`). Pure: the daemon
 * stats the path and writes the file.
 */
/** `init_file`'s settings (the config's TrackFileDef.init). */
export interface TrackFileInit {
  readonly value: number;
  readonly overwrite: boolean;
}

/** What `stat()` (following symlinks) found at the path. */
export type TrackFilePathState = 'missing' | 'regular' | 'other';

export type TrackFileInitAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'write'; readonly text: string }
  /** keepalived: "Cannot initialise track file NAME - it is not a regular file". */
  | { readonly kind: 'not-regular' };

export function trackFileInitAction(
  init: TrackFileInit | undefined,
  state: TrackFilePathState,
  isReload: boolean,
): TrackFileInitAction {
  if (init === undefined) return { kind: 'none' };
  if (state !== 'missing') {
    if (!init.overwrite) return { kind: 'none' };
    if (state === 'other') return { kind: 'not-regular' };
    if (isReload) return { kind: 'none' };
  }
  return { kind: 'write', text: `${init.value}\n` };
}
