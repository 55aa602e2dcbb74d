// An anonymised copy of a session log, for a teacher to publish a replay: it names nobody. Every
// student's name becomes the seat they first held ("T1 A"), token hashes are blanked, and the free text
// students typed (Two Generals notes, Paxos values) becomes a neutral label ("note 1", "value 2"): each
// scenario says where its text is (Scenario.redact for events, redactAction for the actions a unit's
// cause records). One label function serves the whole log, so a value typed in an action and echoed in
// its events reads the same, equal texts stay equal and distinct ones distinct: the replay, its
// verdicts and the checker see the same game.
import type { AnyScenario, RedactLabel } from '../scenario.ts';
import { isScenarioId, scenarios } from '../scenarios/index.ts';
import { seatOf } from '../session/commands.ts';
import type { LogEvent, SessionState } from '../session/model.ts';
import { encodeLine, parseLog } from './format.ts';

/** Equal texts of one kind get one label, numbered in the order they first appear in the log. */
export function labeller(): RedactLabel {
  const byKind = new Map<string, Map<string, string>>();
  return (kind, text) => {
    let labels = byKind.get(kind);
    if (!labels) byKind.set(kind, (labels = new Map()));
    let l = labels.get(text);
    if (l === undefined) labels.set(text, (l = `${kind} ${labels.size + 1}`));
    return l;
  };
}

// A unit as format 2 writes it on the first line of each unit, read loosely: the log is data, and a
// version 1 line has none.
interface LooseUnit {
  lines?: number;
  cause?: { type?: unknown; player?: string; table?: string; action?: unknown };
}
const unitOf = (e: LogEvent): LooseUnit | undefined => {
  const unit = (e as { unit?: unknown }).unit;
  return typeof unit === 'object' && unit !== null ? (unit as LooseUnit) : undefined;
};

const gameScenario = (state: SessionState, table: string | undefined) => {
  const id = table === undefined ? undefined : state.tables[table]?.game?.scenario;
  return id === undefined || !isScenarioId(id) ? undefined : (scenarios[id] as AnyScenario);
};

/** One line with its free text labelled, read against the session just before it. */
function redactLine(state: SessionState, e: LogEvent, label: RedactLabel): LogEvent {
  let out: LogEvent = e;
  if (e.type === 'game') {
    const sc = gameScenario(state, e.table);
    if (!sc) throw new Error(`a game line at ${e.table}, where no game runs`);
    if (sc.redact) out = { ...e, event: sc.redact(e.event, label) };
  }
  const unit = unitOf(e);
  const cause = unit?.cause;
  if (cause && (cause.type === 'act' || cause.type === 'bot')) {
    // The action's game: a bot's names its table; a student's is the game its line belongs to.
    const table =
      cause.type === 'bot' ? cause.table : e.type === 'game' ? e.table : cause.player === undefined ? undefined : seatOf(state, cause.player)?.table;
    const sc = gameScenario(state, table);
    // Text we cannot place is text we cannot vouch for: refuse rather than share it.
    if (!sc) throw new Error('an action whose game cannot be found');
    if (sc.redactAction) out = Object.assign({}, out, { unit: { ...unit, cause: { ...cause, action: sc.redactAction(cause.action, label) } } });
  }
  return out;
}

export function anonymiseLog(text: string): { ok: true; text: string } | { ok: false; line: number; reason: string } {
  const label = labeller();
  const redacted: LogEvent[] = [];
  let failed: { line: number; reason: string } | null = null;
  // parseLog's fold gives each line the session just before it: where each table's game is.
  const parsed = parseLog(text, {
    before(state, e) {
      if (failed) return;
      try {
        redacted.push(redactLine(state, e, label));
      } catch (err) {
        // Every event is one line, after the header's.
        failed = { line: redacted.length + 2, reason: (err as Error).message };
      }
    },
  });
  if (!parsed.ok) return { ok: false, ...parsed.error };
  if (failed) return { ok: false, ...(failed as { line: number; reason: string }) };
  const firstSeat = new Map<string, string>();
  for (const e of redacted) {
    if (e.type === 'seatChanged' && e.occupant?.type === 'player' && !firstSeat.has(e.occupant.playerId))
      firstSeat.set(e.occupant.playerId, `${e.table} ${e.seat}`);
  }
  let unseated = 0;
  const events = redacted.map((e): LogEvent => {
    if (e.type !== 'playerJoined') return e;
    const name = firstSeat.get(e.playerId) ?? `Student ${++unseated}`;
    return { ...e, name, tokenHash: '' };
  });
  return { ok: true, text: encodeLine({ ...parsed.header, hostTokenHash: '' }) + events.map(encodeLine).join('') };
}
