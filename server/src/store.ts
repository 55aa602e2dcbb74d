// The log store: one append-only NDJSON file per session under the data directory. Each write is one
// unit of whole lines placed right after the last whole line, all of it or none; with the `disk`
// durability, writes are also flushed to the disk in groups (one fdatasync per turn of the event loop
// for every session that wrote) before they count as durable.
import { join } from 'node:path';
import { encodeLine, parseLog, type LogEvent, type ParsedLog, type SessionHeader } from '@valley/shared';
import { realFiles, type LogFiles } from './files.ts';

export const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * What an acknowledgement promises. `os`: the lines were handed to the operating system — they survive
 * the server being killed, not a power cut. `disk`: they were flushed to the disk — they survive both.
 */
export type Durability = 'os' | 'disk';
export const DURABILITIES: readonly Durability[] = ['os', 'disk'];

/** A failure of the data directory, with the system's code (ENOSPC, EIO, EACCES, …): shown to the host. */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const storageError = (err: unknown): StorageError => {
  if (err instanceof StorageError) return err;
  const e = err as NodeJS.ErrnoException;
  return new StorageError(e?.code ?? 'EIO', e?.message ?? String(err));
};

interface OpenLog {
  fd: number;
  /** Bytes of whole lines: where the next write goes, and where a failed one is cut back to. */
  size: number;
  /** A failed write may have left bytes past `size` that could not be cut yet: cut them before writing. */
  tail: boolean;
  /** `disk`: the bytes written since the last flush that succeeded, from `syncedSize` on. */
  syncedSize: number;
  unsynced: Buffer[];
  /**
   * A flush failed. Linux reports a writeback error once and may drop the pages, so the next
   * fdatasync can succeed without them: the unsynced bytes are written again before flushing.
   */
  rewrite: boolean;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const settled: Promise<void> = Promise.resolve();

export class LogStore {
  private open = new Map<string, OpenLog>();
  /** Sizes of whole lines found at recovery, for logs not yet opened for writing. */
  private recovered = new Map<string, number>();
  private waiting = new Map<OpenLog, Waiter[]>();
  private syncScheduled = false;
  private syncing: Promise<void> | null = null;
  private closed = false;
  /** For the benchmark and the tests: how many group flushes ran, and how many writes they covered. */
  readonly stats = { syncs: 0, syncedWrites: 0 };

  constructor(
    readonly dir: string,
    readonly durability: Durability = 'os',
    private files: LogFiles = realFiles,
  ) {}

  /** Only ids the server made reach the file system; anything else is refused before a path is built. */
  path(sessionId: string): string {
    if (!SESSION_ID.test(sessionId)) throw new Error('bad session id');
    return join(this.dir, `${sessionId}.ndjson`);
  }

  async init() {
    await this.files.mkdir(this.dir);
  }

  /** A new session's log with its header; on any failure no file is left behind. */
  async create(header: SessionHeader) {
    const path = this.path(header.sessionId);
    let fd: number;
    try {
      fd = this.files.open(path, 'create');
    } catch (err) {
      throw storageError(err);
    }
    const f: OpenLog = { fd, size: 0, tail: false, syncedSize: 0, unsynced: [], rewrite: false };
    try {
      this.writeAll(f, Buffer.from(encodeLine(header)));
      if (this.durability === 'disk') {
        await this.files.datasync(fd);
        await this.files.syncDir(this.dir);
      }
    } catch (err) {
      try {
        this.files.close(fd);
        this.files.unlink(path);
      } catch {
        // A header nobody acknowledged: recovery refuses such a file with its reason.
      }
      throw storageError(err);
    }
    f.syncedSize = f.size;
    this.open.set(header.sessionId, f);
  }

  /**
   * Write one unit of lines at the end of the last whole line, at once (a small write to the page
   * cache, not a round trip through the thread pool: a hall's pace depends on it). Throws a
   * StorageError if it could not be written whole, and then leaves the file as it was. The promise
   * says when the lines are durable: at once for `os`, after the group's fdatasync for `disk`.
   */
  append(sessionId: string, lines: LogEvent[]): Promise<void> {
    // After close() nothing is written: a late message must not reopen a log at a stale size.
    if (this.closed) throw new StorageError('ESHUTDOWN', 'the log store is closed (the server is stopping)');
    const f = this.handle(sessionId);
    const buf = Buffer.from(lines.map(encodeLine).join(''));
    this.writeAll(f, buf);
    if (this.durability === 'os') return settled;
    f.unsynced.push(buf);
    return this.syncSoon(f);
  }

  private handle(sessionId: string): OpenLog {
    let f = this.open.get(sessionId);
    if (f) return f;
    try {
      const fd = this.files.open(this.path(sessionId), 'existing');
      const size = this.recovered.get(sessionId) ?? this.files.size(fd);
      f = { fd, size, tail: true, syncedSize: size, unsynced: [], rewrite: false };
    } catch (err) {
      throw storageError(err);
    }
    this.recovered.delete(sessionId);
    this.open.set(sessionId, f);
    return f;
  }

  private writeAll(f: OpenLog, buf: Buffer) {
    try {
      if (f.tail) {
        this.files.ftruncate(f.fd, f.size);
        f.tail = false;
      }
      this.writeAt(f.fd, buf, f.size);
    } catch (err) {
      // Part of a unit must not stay for the next write to follow: cut back to the last whole line.
      // If even that fails, the next write cuts first (and is refused while it cannot).
      f.tail = true;
      try {
        this.files.ftruncate(f.fd, f.size);
        f.tail = false;
      } catch {
        // Tried again before the next write.
      }
      throw storageError(err);
    }
    f.size += buf.length;
  }

  /** Flush one session's log to the disk now (again, after a flush failed): resolves once it is durable. */
  flush(sessionId: string): Promise<void> {
    const f = this.open.get(sessionId);
    return f ? this.syncSoon(f) : settled;
  }

  /** All of `buf` at `position`, however many calls the disk takes (a write may land only in part). */
  private writeAt(fd: number, buf: Buffer, position: number) {
    let done = 0;
    while (done < buf.length) {
      const n = this.files.write(fd, buf, done, buf.length - done, position + done);
      if (!(n > 0)) throw new StorageError('EIO', 'the disk took no bytes');
      done += n;
    }
  }

  private syncSoon(f: OpenLog): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.waiting.get(f);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(f, [{ resolve, reject }]);
      this.scheduleSync();
    });
  }

  private scheduleSync() {
    if (this.syncScheduled || this.syncing) return;
    this.syncScheduled = true;
    // Everything written in this turn of the event loop shares one flush per file.
    setImmediate(() => {
      this.syncScheduled = false;
      this.syncing = this.syncAll().finally(() => {
        this.syncing = null;
        if (this.waiting.size > 0) this.scheduleSync();
      });
    });
  }

  private async syncAll() {
    const batch = this.waiting;
    this.waiting = new Map();
    this.stats.syncs++;
    await Promise.all(
      [...batch].map(async ([f, waiters]) => {
        this.stats.syncedWrites += waiters.length;
        const upTo = f.size;
        const flushed = f.unsynced.length;
        try {
          if (f.rewrite) this.rewriteUnsynced(f);
          await this.files.datasync(f.fd);
          f.rewrite = false;
          f.unsynced.splice(0, flushed);
          f.syncedSize = upTo;
          for (const w of waiters) w.resolve();
        } catch (err) {
          f.rewrite = true;
          const e = storageError(err);
          for (const w of waiters) w.reject(e);
        }
      }),
    );
  }

  /**
   * Whether the data directory takes a write again (after a disk filled up, say): a scratch file of a
   * few kilobytes written and removed beside the logs, never touching a log.
   */
  async probe(): Promise<boolean> {
    const path = join(this.dir, '.valley-probe');
    try {
      const fd = this.files.open(path, 'create');
      try {
        this.writeAt(fd, Buffer.alloc(4096, 10), 0);
        // With `disk`, the disk itself must take it too.
        if (this.durability === 'disk') await this.files.datasync(fd);
        return true;
      } finally {
        this.files.close(fd);
        this.files.unlink(path);
      }
    } catch {
      try {
        this.files.unlink(path);
      } catch {
        // Nothing was made.
      }
      return false;
    }
  }

  /** Resolves once every write made so far has been flushed (or its flush has failed). */
  async synced(): Promise<void> {
    while (this.syncing || this.syncScheduled) await (this.syncing ?? new Promise((r) => setImmediate(r)));
  }

  /** The bytes written since the last good flush, written again where they belong (see OpenLog.rewrite). */
  private rewriteUnsynced(f: OpenLog) {
    let at = f.syncedSize;
    for (const buf of f.unsynced) {
      this.writeAt(f.fd, buf, at);
      at += buf.length;
    }
  }

  async read(sessionId: string): Promise<string> {
    return this.files.readFile(this.path(sessionId));
  }

  /**
   * A session's header, read from its file (null if there is none or it is not one): for a worker that
   * checks a host key of a session another worker holds (pairing, see cluster/).
   */
  async header(sessionId: string): Promise<SessionHeader | null> {
    if (!SESSION_ID.test(sessionId)) return null;
    let text: string;
    try {
      text = await this.read(sessionId);
    } catch {
      return null;
    }
    const end = text.indexOf('\n');
    try {
      const h = JSON.parse(end < 0 ? text : text.slice(0, end)) as Partial<SessionHeader>;
      return h.type === 'header' && h.sessionId === sessionId && typeof h.code === 'string' && typeof h.hostTokenHash === 'string'
        ? (h as SessionHeader)
        : null;
    } catch {
      return null;
    }
  }

  /**
   * Every session's log that `mine` keeps (all of them by default; a worker keeps its own, by the id in
   * the file's name, without reading the others), parsed; a torn last line or unit is cut off the file
   * so appends start clean.
   */
  async loadAll(mine: (sessionId: string) => boolean = () => true): Promise<{ sessionId: string; parsed: ParsedLog }[]> {
    const names = (await this.files.readdir(this.dir)).filter((n) => n.endsWith('.ndjson')).sort();
    const out: { sessionId: string; parsed: ParsedLog }[] = [];
    for (const name of names) {
      const sessionId = name.slice(0, -'.ndjson'.length);
      if (!SESSION_ID.test(sessionId) || !mine(sessionId)) continue;
      const parsed = parseLog(await this.read(sessionId));
      if (parsed.ok) {
        if (parsed.warnings.length > 0) await this.files.truncate(this.path(sessionId), parsed.validBytes);
        this.recovered.set(sessionId, parsed.validBytes);
      }
      out.push({ sessionId, parsed });
    }
    return out;
  }

  async close() {
    await this.synced();
    this.closed = true;
    for (const f of this.open.values()) {
      try {
        this.files.close(f.fd);
      } catch {
        // Closing is best effort; what was written is already in the file.
      }
    }
    this.open.clear();
  }
}
