// The log store's only door to the file system: small enough that a test can make any call fail the
// way a real disk does (ENOSPC after k bytes, EIO, EPERM, a write that lands only in part).
import { closeSync, fdatasync, fstatSync, fsync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, truncate } from 'node:fs/promises';

export interface LogFiles {
  mkdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  readFile(path: string): Promise<string>;
  /** Cut a closed file to `size` bytes (recovery drops a torn tail). */
  truncate(path: string, size: number): Promise<void>;
  /** Open for writing at explicit positions: 'create' fails if the file exists, 'existing' if it does not. */
  open(path: string, how: 'create' | 'existing'): number;
  /** Write part of `buf` at `position`; returns how many bytes landed (possibly fewer than asked). */
  write(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  ftruncate(fd: number, size: number): void;
  /** The data written so far reaches the disk itself, not just the OS's cache. */
  datasync(fd: number): Promise<void>;
  /** A directory's entries reach the disk (a new file's name survives a power cut). */
  syncDir(dir: string): Promise<void>;
  size(fd: number): number;
  close(fd: number): void;
  unlink(path: string): void;
}

export const realFiles: LogFiles = {
  mkdir: async (dir) => void (await mkdir(dir, { recursive: true })),
  readdir: (dir) => readdir(dir),
  readFile: (path) => readFile(path, 'utf8'),
  truncate: (path, size) => truncate(path, size),
  // Never O_APPEND: every write goes at the position the store knows is the end of the last whole line.
  open: (path, how) => openSync(path, how === 'create' ? 'wx' : 'r+'),
  write: (fd, buf, offset, length, position) => writeSync(fd, buf, offset, length, position),
  ftruncate: (fd, size) => ftruncateSync(fd, size),
  datasync: (fd) => new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
  syncDir: (dir) =>
    new Promise((resolve, reject) => {
      const fd = openSync(dir, 'r');
      fsync(fd, (err) => {
        try {
          closeSync(fd);
        } catch (closeErr) {
          return reject(err ?? closeErr);
        }
        if (err) reject(err);
        else resolve();
      });
    }),
  size: (fd) => fstatSync(fd).size,
  close: (fd) => closeSync(fd),
  unlink: (path) => unlinkSync(path),
};
