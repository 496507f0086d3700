import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../lib/clock.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { TrackerStatus } from '../vrrp/tracker.js';
import { FileTracker, parseTrackFile, type TrackFileReading } from './file-tracker.js';
import { readTrackFile, watchDirectory } from './track-file-reader.js';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('parseTrackFile (glibc strtol(buf, NULL, 0), values checked against glibc)', () => {
  it.each<[string, string | undefined, TrackFileReading]>([
    ['a missing or unreadable file is 0', undefined, { type: 'value', value: 0 }],
    ['an empty file is 0', '', { type: 'value', value: 0 }],
    ['leading white space and a newline', '  7\n', { type: 'value', value: 7 }],
    ['newlines first', '\n\n12', { type: 'value', value: 12 }],
    ['negative', '-5', { type: 'value', value: -5 }],
    ['plus sign', '+3', { type: 'value', value: 3 }],
    ['hex', '0x10', { type: 'value', value: 16 }],
    ['upper-case hex', '0X1f', { type: 'value', value: 31 }],
    ['negative hex', ' -0x10', { type: 'value', value: -16 }],
    ['octal', '010', { type: 'value', value: 8 }],
    ['keepalived compat: "08" is octal 0', '08', { type: 'value', value: 0 }],
    ['"0x" without hex digits is 0', '0xg', { type: 'value', value: 0 }],
    ['trailing garbage is ignored', '12abc', { type: 'value', value: 12 }],
    ['a decimal point ends the number', '1.5', { type: 'value', value: 1 }],
    ['non-numeric text is 0', 'abc', { type: 'value', value: 0 }],
    ['a space after the sign is 0', '- 5', { type: 'value', value: 0 }],
    ['keepalived compat: 2^31 itself is accepted', '2147483648', { type: 'value', value: 2147483648 }],
    ['-2^31 is accepted', '-2147483648', { type: 'value', value: -2147483648 }],
    ['above 2^31 is invalid', '2147483649', { type: 'invalid', text: '2147483649' }],
    ['below -2^31 is invalid', '-2147483649', { type: 'invalid', text: '-2147483649' }],
    ['overflow (ERANGE) is invalid', '99999999999999999999', { type: 'invalid', text: '99999999999999999999' }],
  ])('%s', (_name, text, expected) => {
    expect(parseTrackFile(text === undefined ? undefined : bytes(text))).toEqual(expected);
  });

  it('keepalived compat: only the first 127 bytes count, and a NUL ends the text', () => {
    expect(parseTrackFile(bytes(`${' '.repeat(127)}5`))).toEqual({ type: 'value', value: 0 });
    expect(parseTrackFile(bytes(`${' '.repeat(126)}5`))).toEqual({ type: 'value', value: 5 });
    expect(parseTrackFile(bytes('1\u00002'))).toEqual({ type: 'value', value: 1 });
  });
});

function setup(initial: Record<string, string>) {
  const clock = new ManualClock();
  const files = new Map(Object.entries(initial));
  const reports: number[] = [];
  const invalid: string[] = [];
  let watcher: ((f: string | undefined) => void) | undefined;
  let reads = 0;
  const tracker = new FileTracker(
    {
      clock,
      readFile: async (p) => {
        reads++;
        const t = files.get(p);
        return t === undefined ? undefined : bytes(t);
      },
      watchDirectory: (dir, onEvent) => {
        expect(dir).toBe('/run/ka');
        watcher = onEvent;
        return () => {
          watcher = undefined;
        };
      },
      onChange: (name, s: TrackerStatus) => {
        expect(name).toBe('tf');
        if (s.type === 'value') reports.push(s.value);
      },
      onInvalid: (_name, text) => invalid.push(text),
    },
    { name: 'tf', path: '/run/ka/tf', pollIntervalMs: 1_000, settleMs: 50 },
  );
  return { clock, files, reports, invalid, tracker, event: (f: string | undefined) => watcher?.(f), reads: () => reads };
}

describe('FileTracker (ManualClock, in-memory files)', () => {
  it('reports the first reading, then only changes (polled every second)', async () => {
    const t = setup({ '/run/ka/tf': '3\n' });
    expect(await t.tracker.start()).toEqual({ type: 'value', value: 3 });
    t.clock.advance(1_000);
    await flush();
    t.files.set('/run/ka/tf', '-2\n');
    t.clock.advance(999);
    await flush();
    expect(t.reports).toEqual([3]);
    t.clock.advance(1);
    await flush();
    expect(t.reports).toEqual([3, -2]);
    expect(t.tracker.status).toEqual({ type: 'value', value: -2 });
  });

  it('a missing file reads as 0; a deleted file drops back to 0', async () => {
    const t = setup({});
    expect(await t.tracker.start()).toEqual({ type: 'value', value: 0 });
    t.files.set('/run/ka/tf', '7');
    t.clock.advance(1_000);
    await flush();
    t.files.delete('/run/ka/tf');
    t.clock.advance(1_000);
    await flush();
    expect(t.reports).toEqual([0, 7, 0]);
  });

  it('keepalived compat: an invalid number is ignored and the previous value stays', async () => {
    const t = setup({ '/run/ka/tf': '5' });
    await t.tracker.start();
    t.files.set('/run/ka/tf', '99999999999');
    t.clock.advance(1_000);
    await flush();
    expect(t.reports).toEqual([5]);
    expect(t.invalid).toEqual(['99999999999']);
    expect(t.tracker.status).toEqual({ type: 'value', value: 5 });
  });

  it('a directory event for the file triggers a read after the settle delay; other names do not', async () => {
    const t = setup({ '/run/ka/tf': '1' });
    await t.tracker.start();
    t.files.set('/run/ka/tf', '2');
    t.event('other');
    t.clock.advance(100);
    await flush();
    expect(t.reports).toEqual([1]);
    t.event('tf');
    t.clock.advance(30);
    t.event('tf'); // a second event restarts the delay
    t.clock.advance(49);
    await flush();
    expect(t.reports).toEqual([1]);
    t.clock.advance(1);
    await flush();
    expect(t.reports).toEqual([1, 2]);
  });

  it('a reader that rejects reads as 0 (keepalived: an unreadable file) and later reads still run', async () => {
    const clock = new ManualClock();
    const reports: number[] = [];
    let mode: 'ok' | 'reject' = 'ok';
    const tracker = new FileTracker(
      {
        clock,
        readFile: async () => {
          if (mode === 'reject') throw new Error('EIO');
          return bytes('5');
        },
        onChange: (_name, s) => {
          if (s.type === 'value') reports.push(s.value);
        },
      },
      { name: 'tf', path: '/run/ka/tf', pollIntervalMs: 1_000 },
    );
    await expect(tracker.start()).resolves.toEqual({ type: 'value', value: 5 });
    mode = 'reject';
    clock.advance(1_000);
    await flush();
    mode = 'ok';
    clock.advance(1_000);
    await flush();
    expect(reports).toEqual([5, 0, 5]);
    tracker.stop();
  });

  it('stop() cancels polling and watching', async () => {
    const t = setup({ '/run/ka/tf': '1' });
    await t.tracker.start();
    t.tracker.stop();
    t.files.set('/run/ka/tf', '2');
    t.event('tf');
    t.clock.advance(5_000);
    await flush();
    expect(t.reports).toEqual([1]);
    expect(t.reads()).toBe(1);
  });
});

describe('track-file-reader (real files)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ka-track-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads at most 127 bytes; missing files and directories read as undefined', async () => {
    const f = path.join(dir, 'value');
    writeFileSync(f, `42\n${'x'.repeat(300)}`);
    expect((await readTrackFile(f))?.length).toBe(127);
    expect(parseTrackFile(await readTrackFile(f))).toEqual({ type: 'value', value: 42 });
    writeFileSync(f, '');
    expect((await readTrackFile(f))?.length).toBe(0);
    expect(await readTrackFile(path.join(dir, 'missing'))).toBeUndefined();
    mkdirSync(path.join(dir, 'sub'));
    expect(await readTrackFile(path.join(dir, 'sub'))).toBeUndefined();
  });

  it('with fs.watch a write, a rename into place and a delete are seen without waiting for the poll', async () => {
    const f = path.join(dir, 'watched');
    const seen: number[] = [];
    let notify: (() => void) | undefined;
    const tracker = new FileTracker(
      {
        clock: systemClock,
        readFile: readTrackFile,
        watchDirectory,
        onChange: (_n, s) => {
          if (s.type === 'value') seen.push(s.value);
          notify?.();
        },
      },
      { name: 'w', path: f, pollIntervalMs: 60_000, settleMs: 10 },
    );
    const next = (): Promise<void> =>
      new Promise((r) => {
        notify = r;
      });
    await tracker.start();
    let p = next();
    writeFileSync(f, '4\n');
    await p;
    p = next();
    writeFileSync(`${f}.tmp`, '9\n');
    renameSync(`${f}.tmp`, f);
    await p;
    p = next();
    unlinkSync(f);
    await p;
    tracker.stop();
    expect(seen).toEqual([0, 4, 9, 0]);
  });
});
