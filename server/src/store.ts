// The log store: one append-only NDJSON file per session under the data directory. Lines are written
// whole, and a write resolves only once the bytes are handed to the OS — then the action is acknowledged.
import { ftruncateSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeLine, parseLog, type LogEvent, type ParsedLog, type SessionHeader } from '@valley/shared';

export const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

export class LogStore {
  private handles = new Map<string, FileHandle>();
  /** Bytes of whole lines in each open log: where a failed write is cut back to. */
  private sizes = new Map<string, number>();
  constructor(readonly dir: string) {}

  /** Only ids the server made reach the file system; anything else is refused before a path is built. */
  path(sessionId: string): string {
    if (!SESSION_ID.test(sessionId)) throw new Error('bad session id');
    return join(this.dir, `${sessionId}.ndjson`);
  }

  async init() {
    await mkdir(this.dir, { recursive: true });
  }

  async create(header: SessionHeader) {
    const handle = await open(this.path(header.sessionId), 'wx');
    this.handles.set(header.sessionId, handle);
    const line = Buffer.from(encodeLine(header));
    await handle.write(line);
    this.sizes.set(header.sessionId, line.length);
  }

  async append(sessionId: string, events: LogEvent[]) {
    let handle = this.handles.get(sessionId);
    if (!handle) {
      handle = await open(this.path(sessionId), 'a');
      this.handles.set(sessionId, handle);
    }
    const size = this.sizes.get(sessionId) ?? (await handle.stat()).size;
    const buf = Buffer.from(events.map(encodeLine).join(''));
    try {
      // Handed to the OS at once (a small append to the page cache), not through the thread pool:
      // a session applies one action at a time, and a round trip per write would cap a hall's pace.
      let done = 0;
      while (done < buf.length) done += writeSync(handle.fd, buf, done, buf.length - done);
    } catch (err) {
      // A write that failed halfway (disk full) must not leave a torn line for the next one to
      // follow: cut the file back to its last whole line, so the log stays readable to the end.
      try {
        ftruncateSync(handle.fd, size);
      } catch {
        // Nothing more can be done here; the error below stops the session's writes.
      }
      throw err;
    }
    this.sizes.set(sessionId, size + buf.length);
  }

  async read(sessionId: string): Promise<string> {
    return readFile(this.path(sessionId), 'utf8');
  }

  /** Every session's log, parsed; a torn last line is cut off the file so appends start clean. */
  async loadAll(): Promise<{ sessionId: string; parsed: ParsedLog }[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.ndjson')).sort();
    const out: { sessionId: string; parsed: ParsedLog }[] = [];
    for (const name of names) {
      const sessionId = name.slice(0, -'.ndjson'.length);
      if (!SESSION_ID.test(sessionId)) continue;
      const parsed = parseLog(await this.read(sessionId));
      if (parsed.ok && parsed.warnings.length > 0) await truncate(this.path(sessionId), parsed.validBytes);
      out.push({ sessionId, parsed });
    }
    return out;
  }

  async close() {
    for (const h of this.handles.values()) await h.close().catch(() => {});
    this.handles.clear();
    this.sizes.clear();
  }
}
