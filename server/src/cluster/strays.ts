// Sessions made under another number of workers: a session is held by the worker its id hashes to,
// but after VALLEY_WORKERS changes between runs its join code may hash to another. Those codes — and
// only those, none made under the current number — are listed from the logs' headers at start-up, by
// the primary (to route them to their holder) and by each worker (never to draw one as a new code).
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SESSION_ID } from '../store.ts';
import { workerOf } from './partition.ts';

/** Join code → the worker holding its session, for each code that does not hash to that worker. */
export type Strays = ReadonlyMap<string, number>;

/** A header is one short line: the first KiB of a log holds it. */
const HEADER_BYTES = 1024;

export async function findStrays(dataDir: string, count: number): Promise<Strays> {
  const strays = new Map<string, number>();
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return strays; // no data folder yet: no sessions
  }
  for (const name of names) {
    const sessionId = name.endsWith('.ndjson') ? name.slice(0, -'.ndjson'.length) : '';
    if (!SESSION_ID.test(sessionId)) continue;
    const code = await headerCode(join(dataDir, name));
    if (code === null) continue;
    const holder = workerOf(sessionId, count);
    if (workerOf(code, count) !== holder) strays.set(code, holder);
  }
  return strays;
}

export async function headerCode(path: string): Promise<string | null> {
  let f;
  try {
    f = await open(path, 'r');
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await f.read(buf, 0, HEADER_BYTES, 0);
    const text = buf.toString('utf8', 0, bytesRead);
    const end = text.indexOf('\n');
    const header = JSON.parse(end < 0 ? text : text.slice(0, end)) as { type?: unknown; code?: unknown };
    return header.type === 'header' && typeof header.code === 'string' ? header.code : null;
  } catch {
    return null; // unreadable or damaged: its worker's recovery reports it
  } finally {
    await f?.close();
  }
}
