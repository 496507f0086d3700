import { describe, expect, it } from 'vitest';
import { trackFileInitAction } from './track-file-init.js';
import type { TrackFilePathState } from './track-file-init.js';

const create = { value: 7, overwrite: false };
const overwrite = { value: -3, overwrite: true };

describe('track_file init_file (keepalived: track_file_end_handler)', () => {
  it('without init_file nothing is written, whatever is at the path', () => {
    for (const state of ['missing', 'regular', 'other'] as TrackFilePathState[]) {
      expect(trackFileInitAction(undefined, state, false)).toEqual({ kind: 'none' });
    }
  });

  it('init_file writes the value and a newline only when the file is missing', () => {
    expect(trackFileInitAction(create, 'missing', false)).toEqual({ kind: 'write', text: '7\n' });
    expect(trackFileInitAction(create, 'regular', false)).toEqual({ kind: 'none' });
    // keepalived returns before its regular-file check: no error for a directory either
    expect(trackFileInitAction(create, 'other', false)).toEqual({ kind: 'none' });
    expect(trackFileInitAction({ value: 0, overwrite: false }, 'missing', true)).toEqual({ kind: 'write', text: '0\n' });
  });

  it('init_file overwrite replaces a regular file, refuses anything else, and never on reload', () => {
    expect(trackFileInitAction(overwrite, 'regular', false)).toEqual({ kind: 'write', text: '-3\n' });
    expect(trackFileInitAction(overwrite, 'missing', false)).toEqual({ kind: 'write', text: '-3\n' });
    expect(trackFileInitAction(overwrite, 'other', false)).toEqual({ kind: 'not-regular' });
    expect(trackFileInitAction(overwrite, 'regular', true)).toEqual({ kind: 'none' });
    // a missing file is created on reload too
    expect(trackFileInitAction(overwrite, 'missing', true)).toEqual({ kind: 'write', text: '-3\n' });
  });
});
