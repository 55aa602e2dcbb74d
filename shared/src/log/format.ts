// The session log: one header line, then one event per line (NDJSON), append-only, written in units
// (format 2: the first line of each unit says how many lines it has and what caused it). parseLog
// reads it back, drops a torn last line or an unfinished last unit (a crash mid-write) with a
// warning, and reports any other damage with its line number instead of skipping it.
import { LOG_FORMAT, LOG_VERSIONS, type LogEvent, type SessionHeader, type SessionState } from '../session/model.ts';
import { SessionFold, initialSession } from '../session/reduce.ts';

export type LogProblem = { line: number; reason: string };

export type ParsedLog =
  { ok: true; header: SessionHeader; events: LogEvent[]; state: SessionState; warnings: LogProblem[]; validBytes: number } | { ok: false; error: LogProblem };

/**
 * Watches a log being folded, one event at a time: `before` sees the session just before the event,
 * `after` just after it. Both states are valid only during the call (the fold changes them in place).
 * The replay's game index (openLog in replay.ts) rides on parseLog's own fold this way.
 */
export interface FoldObserver {
  before?(state: SessionState, e: LogEvent): void;
  after?(state: SessionState, e: LogEvent): void;
}

export const encodeLine = (x: SessionHeader | LogEvent): string => `${JSON.stringify(x)}\n`;

function isHeader(x: unknown): x is SessionHeader {
  const h = x as SessionHeader;
  return typeof h === 'object' && h !== null && h.type === 'header' && h.format === LOG_FORMAT;
}

function isUnit(u: unknown): u is NonNullable<LogEvent['unit']> {
  const x = u as NonNullable<LogEvent['unit']>;
  return (
    typeof x === 'object' &&
    x !== null &&
    Number.isInteger(x.lines) &&
    x.lines >= 1 &&
    typeof x.cause === 'object' &&
    x.cause !== null &&
    typeof x.cause.type === 'string'
  );
}

function isEvent(x: unknown): x is LogEvent {
  const e = x as LogEvent;
  return typeof e === 'object' && e !== null && Number.isInteger(e.seq) && typeof e.at === 'number' && typeof e.type === 'string';
}

export function parseLog(text: string, observer?: FoldObserver): ParsedLog {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  // With a trailing newline the split leaves one empty string at the end.
  if (complete) lines.pop();
  const warnings: LogProblem[] = [];
  let header: SessionHeader | null = null;
  let fold: SessionFold | null = null;
  const events: LogEvent[] = [];
  // Where the lines read so far end, in characters; turned into bytes once, at the end.
  let validChars = 0;
  // Format 2: the lines of the unit being read, applied only once it is whole (all or none).
  let unit: { value: LogEvent; chars: number; line: number }[] = [];
  let unitLines = 0;
  let unitStart = 0;
  const flush = (): LogProblem | null => {
    for (const { value, chars, line } of unit) {
      observer?.before?.(fold!.peek(), value);
      try {
        fold!.push(value);
      } catch (err) {
        return { line, reason: (err as Error).message };
      }
      observer?.after?.(fold!.peek(), value);
      events.push(value);
      validChars += chars;
    }
    unit = [];
    return null;
  };
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
      if (!(LOG_VERSIONS as readonly unknown[]).includes(value.version))
        return { ok: false, error: { line: lineNo, reason: `unknown format version ${String(value.version)}` } };
      header = value;
      fold = new SessionFold(initialSession(header));
      validChars += raw.length + 1;
      continue;
    }
    if (!isEvent(value)) return { ok: false, error: { line: lineNo, reason: 'not an event' } };
    const u = value.unit;
    // Format 1 has no units: each line is its own — except lines that carry one (a session begun
    // before format 2 and written on since by a server that writes units), which count all or none.
    if (header.version === 1 && u === undefined && unit.length === 0) {
      unit = [{ value, chars: raw.length + 1, line: lineNo }];
      unitStart = lineNo;
      const bad = flush();
      if (bad) return { ok: false, error: bad };
      continue;
    }
    if (unit.length === 0) {
      if (!isUnit(u)) return { ok: false, error: { line: lineNo, reason: 'a line outside any unit (no cause, no line count)' } };
      unitLines = u.lines;
      unitStart = lineNo;
    } else if (u !== undefined) {
      return { ok: false, error: { line: lineNo, reason: `a new unit starts before the unit of line ${unitStart} has its ${unitLines} lines` } };
    }
    unit.push({ value, chars: raw.length + 1, line: lineNo });
    if (unit.length === unitLines) {
      const bad = flush();
      if (bad) return { ok: false, error: bad };
    }
  }
  if (unit.length > 0) {
    // Written in one go and cut short by a crash: never acknowledged, so none of it counts.
    warnings.push({ line: unitStart, reason: `unfinished last unit dropped (${unit.length} of ${unitLines} lines)` });
  }
  if (!header || !fold) return { ok: false, error: { line: 1, reason: 'empty log' } };
  const validBytes = utf8Length(validChars === text.length ? text : text.slice(0, validChars));
  return { ok: true, header, events, state: fold.state, warnings, validBytes };
}

/** The UTF-8 size of a string: one byte a character, and more only for the (rare) runs of non-ASCII. */
function utf8Length(s: string): number {
  let n = s.length;
  // Runs of code units above U+007F (anything below is one byte).
  for (const run of s.matchAll(/[^\p{ASCII}]+/gu)) {
    const r = run[0];
    for (let i = 0; i < r.length; i++) {
      const c = r.charCodeAt(i);
      if (c < 0x800) n += 1;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < r.length) {
        // A surrogate pair: two characters, four bytes.
        n += 2;
        i++;
      } else n += 2;
    }
  }
  return n;
}
