// The session log: one header line, then one event per line (NDJSON), append-only.
// parseLog reads it back, drops a torn last line (a crash mid-write) with a warning, and
// reports any other damage with its line number instead of skipping it.
import { LOG_FORMAT, LOG_VERSION, type LogEvent, type SessionHeader, type SessionState } from '../session/model.ts';
import { SessionFold, initialSession } from '../session/reduce.ts';

export type LogProblem = { line: number; reason: string };

export type ParsedLog =
  | { ok: true; header: SessionHeader; events: LogEvent[]; state: SessionState; warnings: LogProblem[]; validBytes: number }
  | { ok: false; error: LogProblem };

export const encodeLine = (x: SessionHeader | LogEvent): string => `${JSON.stringify(x)}\n`;

function isHeader(x: unknown): x is SessionHeader {
  const h = x as SessionHeader;
  return typeof h === 'object' && h !== null && h.type === 'header' && h.format === LOG_FORMAT;
}

function isEvent(x: unknown): x is LogEvent {
  const e = x as LogEvent;
  return typeof e === 'object' && e !== null && Number.isInteger(e.seq) && typeof e.at === 'number' && typeof e.type === 'string';
}

export function parseLog(text: string): ParsedLog {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  // With a trailing newline the split leaves one empty string at the end.
  if (complete) lines.pop();
  const warnings: LogProblem[] = [];
  let validBytes = 0;
  let header: SessionHeader | null = null;
  let fold: SessionFold | null = null;
  const events: LogEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (i === lines.length - 1 && !complete) {
      // Every line is written whole with its newline before it is acknowledged, so a last line
      // without one was never acknowledged: a crash mid-write. Drop it.
      warnings.push({ line: lineNo, reason: 'torn last line dropped' });
      break;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, error: { line: lineNo, reason: 'not JSON' } };
    }
    if (!header) {
      if (!isHeader(value)) return { ok: false, error: { line: lineNo, reason: 'not a Valley log (no header)' } };
      if (value.version !== LOG_VERSION) return { ok: false, error: { line: lineNo, reason: `unknown format version ${String(value.version)}` } };
      header = value;
      fold = new SessionFold(initialSession(header));
    } else {
      if (!isEvent(value)) return { ok: false, error: { line: lineNo, reason: 'not an event' } };
      try {
        fold!.push(value);
      } catch (err) {
        return { ok: false, error: { line: lineNo, reason: (err as Error).message } };
      }
      events.push(value);
    }
    validBytes += utf8Length(raw) + 1;
  }
  if (!header || !fold) return { ok: false, error: { line: 1, reason: 'empty log' } };
  return { ok: true, header, events, state: fold.state, warnings, validBytes };
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
