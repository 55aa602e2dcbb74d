import { describe, expect, it } from 'vitest';
import {
  LOG_FORMAT,
  LOG_VERSION,
  decideHost,
  decideJoin,
  encodeLine,
  initialSession,
  parseLog,
  reduce,
  tg,
  type Decision,
  type LogEvent,
  type SessionEvent,
  type SessionHeader,
  type SessionState,
} from '@valley/shared';

// The format before units (version 1): one event a line. Every log a teacher downloaded before
// format 2 reads like this, so these tests keep it working.
const header: SessionHeader = {
  type: 'header',
  format: LOG_FORMAT,
  version: 1,
  sessionId: 'session-log-1',
  code: 'HJKMN',
  createdAt: 1_000,
  seed: 7,
  hostTokenHash: 'a'.repeat(64),
};

/** A real session's log: students with names outside ASCII join, are seated, play and finish a game. */
function sampleLog(): { text: string; lines: string[]; events: LogEvent[]; state: SessionState } {
  let state = initialSession(header);
  const events: LogEvent[] = [];
  let at = 1_000;
  const push = (d: Decision<SessionEvent>) => {
    if (!d.ok) throw new Error(JSON.stringify(d.refusal));
    for (const e of d.events) {
      const line = { seq: state.seq + 1, at, ...e } as LogEvent;
      state = reduce(state, line);
      events.push(line);
    }
  };
  push(decideJoin(state, 'Zoë', 'P1', 'b'.repeat(64)));
  push(decideJoin(state, '李雷 🙂', 'P2', 'c'.repeat(64)));
  push(
    decideHost(
      state,
      { type: 'setSettings', scenario: 'two-generals', settings: { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000 } },
      at,
    ),
  );
  push(decideHost(state, { type: 'autoSeat', bots: false, scenario: 'two-generals' }, at));
  push(decideHost(state, { type: 'startGames', table: null }, at));
  const game = () => state.tables.T1!.game!.state as tg.State;
  const act = (seat: string, action: tg.Action) => {
    const r = tg.twoGenerals.decide(game(), seat, action, at);
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    push({ ok: true, events: r.events.map((event) => ({ type: 'game' as const, table: 'T1', game: 1, event })) });
  };
  act('A', { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } });
  at += 1000;
  push({ ok: true, events: tg.twoGenerals.tick(game(), at).map((event) => ({ type: 'game' as const, table: 'T1', game: 1, event })) });
  act('B', { type: 'sendMessenger', payload: { type: 'note', text: 'd’accord — 好的' } });
  act('B', { type: 'commit', decision: { type: 'attack', time: 6 } });
  act('A', { type: 'commit', decision: { type: 'attack', time: 6 } });
  const lines = [encodeLine(header), ...events.map(encodeLine)];
  return { text: lines.join(''), lines, events, state };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('reading a session log', () => {
  it('a good log round-trips: same header, same events, same state, every byte valid', () => {
    const log = sampleLog();
    expect(log.state.results).toHaveLength(1);
    const parsed = parseLog(log.text);
    expect(parsed).toEqual({ ok: true, header, events: log.events, state: log.state, warnings: [], validBytes: bytes(log.text) });
    // Writing it out again gives the same bytes.
    if (!parsed.ok) return;
    expect([encodeLine(parsed.header), ...parsed.events.map(encodeLine)].join('')).toBe(log.text);
  });

  it('a log with only its header is an empty session', () => {
    const parsed = parseLog(encodeLine(header));
    expect(parsed).toEqual({ ok: true, header, events: [], state: initialSession(header), warnings: [], validBytes: bytes(encodeLine(header)) });
  });

  it('drops a torn last line with a warning; validBytes ends at the last good line', () => {
    const log = sampleLog();
    const good = log.lines.slice(0, 6).join('');
    const torn = log.lines[6]!.slice(0, 20);
    const parsed = parseLog(good + torn);
    expect(parsed).toEqual({
      ok: true,
      header,
      events: log.events.slice(0, 5),
      state: log.events.slice(0, 5).reduce(reduce, initialSession(header)),
      warnings: [{ line: 7, reason: 'torn last line dropped' }],
      validBytes: bytes(good),
    });
    // Multi-byte names come before the cut: validBytes counts bytes, not characters.
    expect(bytes(good)).toBeGreaterThan(good.length);
  });

  it('drops a last line without its newline even when it is whole JSON: it was never acknowledged', () => {
    const log = sampleLog();
    const good = log.lines.slice(0, -1).join('');
    const parsed = parseLog(good + log.lines.at(-1)!.trimEnd());
    expect(parsed).toMatchObject({ ok: true, warnings: [{ line: log.lines.length, reason: 'torn last line dropped' }], validBytes: bytes(good) });
    if (!parsed.ok) return;
    expect(parsed.events).toEqual(log.events.slice(0, -1));
    expect(parsed.state.results).toEqual([]);
  });

  it('reads every cut of a log as its whole lines (a crash may stop a write at any byte)', () => {
    const log = sampleLog();
    const headerLength = log.lines[0]!.length;
    for (let cut = headerLength; cut <= log.text.length; cut++) {
      const text = log.text.slice(0, cut);
      const whole = text.slice(0, text.lastIndexOf('\n') + 1);
      const wholeLines = whole.split('\n').length - 1;
      const parsed = parseLog(text);
      if (!parsed.ok) throw new Error(`cut at ${cut}: ${JSON.stringify(parsed.error)}`);
      expect(parsed.events).toEqual(log.events.slice(0, wholeLines - 1));
      expect(parsed.validBytes).toBe(bytes(whole));
      expect(parsed.warnings).toEqual(text === whole ? [] : [{ line: wholeLines + 1, reason: 'torn last line dropped' }]);
    }
  });

  it('a torn header leaves no log at all', () => {
    expect(parseLog(encodeLine(header).slice(0, 30))).toEqual({ ok: false, error: { line: 1, reason: 'empty log' } });
    expect(parseLog('')).toEqual({ ok: false, error: { line: 1, reason: 'empty log' } });
  });

  it('a line that is not JSON in the middle is an error naming its line, not skipped', () => {
    const log = sampleLog();
    const lines = [...log.lines];
    lines[3] = '{"seq":3,"at":1000,"type":"settingsCh\n';
    expect(parseLog(lines.join(''))).toEqual({ ok: false, error: { line: 4, reason: 'not JSON' } });
    lines[3] = '\n';
    expect(parseLog(lines.join(''))).toEqual({ ok: false, error: { line: 4, reason: 'not JSON' } });
    // A damaged last line that did end with its newline was written whole: that is damage, not a tear.
    const last = [...log.lines];
    last[last.length - 1] = 'garbage\n';
    expect(parseLog(last.join(''))).toEqual({ ok: false, error: { line: log.lines.length, reason: 'not JSON' } });
  });

  it('a JSON line that is not an event is an error naming its line', () => {
    const log = sampleLog();
    const lines = [...log.lines];
    lines[2] = '{"seq":"2","at":1000,"type":"playerJoined"}\n';
    expect(parseLog(lines.join(''))).toEqual({ ok: false, error: { line: 3, reason: 'not an event' } });
    lines[2] = 'null\n';
    expect(parseLog(lines.join(''))).toEqual({ ok: false, error: { line: 3, reason: 'not an event' } });
    lines[2] = '{"seq":2,"at":1000,"type":"teleported"}\n';
    expect(parseLog(lines.join(''))).toMatchObject({ ok: false, error: { line: 3, reason: expect.stringContaining('unexpected value') } });
  });

  it('refuses an unknown format version', () => {
    const log = sampleLog();
    const text = [encodeLine({ ...header, version: (LOG_VERSION + 1) as typeof LOG_VERSION }), ...log.lines.slice(1)].join('');
    expect(parseLog(text)).toEqual({ ok: false, error: { line: 1, reason: `unknown format version ${LOG_VERSION + 1}` } });
    const noVersion = `${JSON.stringify({ ...header, version: undefined })}\n`;
    expect(parseLog(noVersion)).toEqual({ ok: false, error: { line: 1, reason: 'unknown format version undefined' } });
  });

  it.each([
    ['a JSON object without the header', '{"hello":"world"}\n'],
    ['another program\u2019s header', `${JSON.stringify({ ...header, format: 'other-log' })}\n`],
    ['an event first', '{"seq":1,"at":1,"type":"tableCreated","table":"T1","scenario":"two-generals"}\n'],
    ['a JSON array', '[1,2,3]\n'],
  ])('refuses a file that is not a Valley log: %s', (_what, text) => {
    expect(parseLog(text)).toEqual({ ok: false, error: { line: 1, reason: 'not a Valley log (no header)' } });
  });

  it('refuses text that is not JSON at all on its first line', () => {
    expect(parseLog('name,score\nAda,3\n')).toEqual({ ok: false, error: { line: 1, reason: 'not JSON' } });
    expect(parseLog('\u0089PNG\r\n')).toEqual({ ok: false, error: { line: 1, reason: 'not JSON' } });
  });

  it('refuses an event out of order, naming its line and both numbers', () => {
    const log = sampleLog();
    // Swap the third and fourth events.
    const swapped = [...log.lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(parseLog(swapped.join(''))).toEqual({ ok: false, error: { line: 4, reason: 'event 4 out of order after 2' } });
    // An event written twice.
    const twice = [...log.lines.slice(0, 4), log.lines[3]!, ...log.lines.slice(4)];
    expect(parseLog(twice.join(''))).toEqual({ ok: false, error: { line: 5, reason: 'event 3 out of order after 3' } });
    // A gap.
    const gap = [...log.lines.slice(0, 4), ...log.lines.slice(5)];
    expect(parseLog(gap.join(''))).toEqual({ ok: false, error: { line: 5, reason: 'event 5 out of order after 3' } });
  });

  it('refuses an event the state cannot take, naming its line', () => {
    const log = sampleLog();
    const lines = [...log.lines];
    // The fourth event seats a player at a table the log never created.
    lines[4] = encodeLine({ seq: 4, at: 1000, type: 'seatChanged', table: 'T9', seat: 'A', occupant: null });
    expect(parseLog(lines.slice(0, 5).join(''))).toEqual({ ok: false, error: { line: 5, reason: 'log names unknown table T9' } });
  });
});

describe('format 2: units', () => {
  // The same session, each decision written as one unit with its cause, as the server writes it.
  function unitLog() {
    const v1 = sampleLog();
    const h: SessionHeader = { ...header, version: LOG_VERSION };
    // Group by the decision that made them: same time and consecutive, as push() wrote them.
    const units: LogEvent[][] = [];
    for (const e of v1.events) {
      const last = units.at(-1);
      if (last && e.type === 'game' && last[0]!.type === 'game' && last[0]!.at === e.at && (e.event as tg.Event).type === 'gameEnded') last.push(e);
      else units.push([e]);
    }
    const events = units.flatMap((u) => u.map((e, i) => (i === 0 ? { ...e, unit: { lines: u.length, cause: { type: 'join' as const } } } : e)));
    const lines = [encodeLine(h), ...events.map(encodeLine)];
    return { text: lines.join(''), lines, events, h, units };
  }

  it('reads a log of units to the same state as the log of single lines', () => {
    const log = unitLog();
    expect(log.units.some((u) => u.length > 1)).toBe(true);
    const parsed = parseLog(log.text);
    expect(parsed).toMatchObject({ ok: true, warnings: [], validBytes: bytes(log.text) });
    if (parsed.ok) expect(parsed.state).toEqual({ ...sampleLog().state, header: log.h });
  });

  it('every cut reads as the whole units before it: an unfinished unit is dropped with a warning, never half applied', () => {
    const log = unitLog();
    const ends: number[] = [];
    let at = log.lines[0]!.length;
    for (const u of log.units) {
      at += u.reduce((n, e) => n + encodeLine(log.events.find((x) => x.seq === e.seq)!).length, 0);
      ends.push(at);
    }
    for (let cut = log.lines[0]!.length; cut <= log.text.length; cut++) {
      const text = log.text.slice(0, cut);
      const parsed = parseLog(text);
      if (!parsed.ok) throw new Error(`cut at ${cut}: ${JSON.stringify(parsed.error)}`);
      const whole = ends.filter((e) => e <= cut).length;
      expect(parsed.events.length, `cut at ${cut}`).toBe(log.units.slice(0, whole).reduce((n, u) => n + u.length, 0));
      expect(parsed.validBytes).toBe(bytes(log.text.slice(0, ends[whole - 1] ?? log.lines[0]!.length)));
    }
    const two = log.units.findIndex((u) => u.length > 1);
    const cutInside = ends[two - 1]! + encodeLine(log.events.find((e) => e.seq === log.units[two]![0]!.seq)!).length;
    expect(parseLog(log.text.slice(0, cutInside))).toMatchObject({ ok: true, warnings: [{ reason: 'unfinished last unit dropped (1 of 2 lines)' }] });
  });

  it('a unit cut short by the next one, and a line outside any unit, are damage naming their line', () => {
    const log = unitLog();
    const two = log.units.findIndex((u) => u.length > 1);
    const firstLine = 2 + log.units.slice(0, two).reduce((n, u) => n + u.length, 0);
    const lines = [...log.lines];
    // The second line of the two-line unit claims to start a unit of its own.
    lines[firstLine] = encodeLine({ ...log.events[firstLine - 1]!, unit: { lines: 1, cause: { type: 'join' } } });
    expect(parseLog(lines.join(''))).toEqual({
      ok: false,
      error: { line: firstLine + 1, reason: `a new unit starts before the unit of line ${firstLine} has its 2 lines` },
    });
    const bare = [...log.lines];
    bare[2] = encodeLine({ ...log.events[1]!, unit: undefined });
    expect(parseLog(bare.join(''))).toEqual({ ok: false, error: { line: 3, reason: 'a line outside any unit (no cause, no line count)' } });
  });
});

describe('a format 1 log written on by a server that writes units', () => {
  it('reads its bare lines one by one and its units all or none', () => {
    const log = sampleLog();
    // The last two events (a commit and the end) arrive as one unit after the upgrade.
    const [x, y] = log.events.slice(-2) as [LogEvent, LogEvent];
    const lines = [...log.lines.slice(0, -2), encodeLine({ ...x, unit: { lines: 2, cause: { type: 'join' } } }), encodeLine(y)];
    const whole = parseLog(lines.join(''));
    expect(whole).toMatchObject({ ok: true, warnings: [] });
    if (whole.ok) expect(whole.events).toHaveLength(log.events.length);
    const torn = parseLog(lines.slice(0, -1).join(''));
    expect(torn).toMatchObject({ ok: true, warnings: [{ reason: 'unfinished last unit dropped (1 of 2 lines)' }] });
    if (torn.ok) expect(torn.events).toHaveLength(log.events.length - 2);
  });
});
