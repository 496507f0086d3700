/**
 * The real ports of FileTracker: one small non-blocking read, and fs.watch on
 * a directory (inotify underneath, like keepalived's, but libuv asks for
 * IN_MODIFY/IN_ATTRIB/IN_CREATE/IN_DELETE/IN_MOVED_* rather than keepalived's
 * IN_CLOSE_WRITE|IN_DELETE|IN_MOVE, hence FileTracker's settle delay).
 */
import { constants, watch } from 'node:fs';
import { open } from 'node:fs/promises';
import { type DirectoryWatcher, TRACK_FILE_READ_BYTES, type TrackFileReader } from './file-tracker.js';

/** keepalived: open(O_RDONLY | O_NONBLOCK), one read() of 127 bytes; any failure reads as "no value". */
export const readTrackFile: TrackFileReader = async (path) => {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.alloc(TRACK_FILE_READ_BYTES);
    const { bytesRead } = await handle.read(buf, 0, TRACK_FILE_READ_BYTES, null);
    return buf.subarray(0, bytesRead);
  } catch {
    // ENOENT, EACCES, EISDIR, EAGAIN (a FIFO with no writer): keepalived then uses 0.
    return undefined;
  } finally {
    await handle?.close().catch(() => {});
  }
};

/** fs.watch on dir; a directory that is missing or vanishes just yields no events (polling still runs). */
export const watchDirectory: DirectoryWatcher = (dir, onEvent) => {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, filename) => onEvent(filename ?? undefined));
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => {};
  }
};
