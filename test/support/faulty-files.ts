// A disk that fails on demand, behind the log store's file seam: it fills up after so many bytes
// (the write that crosses the line lands in part, the next gets ENOSPC), answers EIO or EPERM, lands
// writes only in part, or cannot cut a file back. Everything it does take goes to the real files.
import { realFiles, type LogFiles } from '@valley/server/files';

const errno = (code: string, call: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${call} failed (test disk)`), { code });

export class FaultyFiles implements LogFiles {
  /** Bytes the disk still takes (Infinity: plenty). */
  space = Infinity;
  /** Every write fails with this code (EIO, EPERM, …). */
  writeError: string | null = null;
  /** Opening a file fails with this code (EACCES: a folder the server may not write). */
  openError: string | null = null;
  /** Flushing to the disk fails with this code. */
  syncError: string | null = null;
  /** Cutting a file back fails this many more times. */
  truncateFailures = 0;
  /** Each write lands at most this many bytes (a write that succeeds only in part). */
  maxPerWrite = Infinity;
  /** Write calls that still succeed before the disk is full (Infinity: no such limit). */
  writesLeft = Infinity;
  writes = 0;
  syncs = 0;

  /** A disk with `bytes` left from now on. */
  fill(bytes = 0) {
    this.space = bytes;
  }
  free() {
    this.space = Infinity;
    this.writesLeft = Infinity;
  }

  mkdir = realFiles.mkdir;
  readdir = realFiles.readdir;
  readFile = realFiles.readFile;
  truncate = realFiles.truncate;
  size = realFiles.size;
  close = realFiles.close;
  unlink = realFiles.unlink;
  syncDir = realFiles.syncDir;

  open(path: string, how: 'create' | 'existing'): number {
    if (this.openError) throw errno(this.openError, 'open');
    return realFiles.open(path, how);
  }

  write(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    this.writes++;
    if (this.writeError) throw errno(this.writeError, 'write');
    if (this.space <= 0 || this.writesLeft <= 0) throw errno('ENOSPC', 'write');
    this.writesLeft--;
    const n = Math.min(length, this.space, this.maxPerWrite);
    const done = realFiles.write(fd, buf, offset, n, position);
    this.space -= done;
    return done;
  }

  ftruncate(fd: number, size: number) {
    if (this.truncateFailures > 0) {
      this.truncateFailures--;
      throw errno('EIO', 'ftruncate');
    }
    realFiles.ftruncate(fd, size);
  }

  async datasync(fd: number) {
    this.syncs++;
    if (this.syncError) throw errno(this.syncError, 'fdatasync');
    await realFiles.datasync(fd);
  }
}
