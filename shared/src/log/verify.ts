// The checker: a log is sound when it parses to the end and every game in it — finished or still
// running at its last line — keeps its scenario's properties (for Paxos, at most one value chosen).
import { scenarioOf } from '../session/reduce.ts';
import type { LogEvent, SessionState } from '../session/model.ts';
import { SessionFold, initialSession } from '../session/reduce.ts';
import { parseLog, type LogProblem } from './format.ts';

export interface Verification {
  ok: boolean;
  problems: LogProblem[];
  games: number;
}

export function verifyLog(text: string): Verification {
  const parsed = parseLog(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.error], games: 0 };
  const problems: LogProblem[] = [];
  // Walk the log again, checking each game when it ends (or at the end of the log), with the line
  // where it broke: line 1 is the header, so event k is on line k + 1.
  // A fold, not reduce() per event: a hall's log has hundreds of tables, and reduce() copies them all.
  const fold = new SessionFold(initialSession(parsed.header));
  let state: SessionState = fold.peek();
  const games = new Set<string>();
  const check = (table: string, line: number) => {
    const g = state.tables[table]?.game;
    if (!g) return;
    const sc = scenarioOf(g.scenario);
    for (const reason of sc.check?.(g.state) ?? []) problems.push({ line, reason: `table ${table}, game ${g.index}: ${reason}` });
  };
  const flagged = new Set<string>();
  parsed.events.forEach((e: LogEvent, i) => {
    fold.push(e);
    state = fold.peek();
    if (e.type === 'gameStarted') games.add(`${e.table}/${e.game}`);
    if (e.type === 'game') {
      const key = `${e.table}/${e.game}`;
      const before = problems.length;
      if (!flagged.has(key)) check(e.table, i + 2);
      if (problems.length > before) flagged.add(key);
    }
  });
  return { ok: problems.length === 0, problems, games: games.size };
}
