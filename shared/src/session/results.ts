// The class results as a table: one row per finished game, its columns the same for every scenario.
// Words come from each scenario's own English words (the server has no page catalogue); a scenario is
// never named here. Turning the rows into CSV (quoting, formulas neutralised) is the server's job.
import type { Label } from '../diagram.ts';
import { scenarioWords } from '../scenarios/words.ts';
import type { GameResult } from './model.ts';
import { scenarioOf } from './reduce.ts';
import { resultWords } from './words.ts';

export type ResultLang = keyof typeof resultWords;
export interface ResultOptions {
  /** No student's name, only where they sat. */
  anonymised?: boolean;
  /** The language of the headers and of every sentence in the cells (English unless told). */
  lang?: ResultLang;
}

/** A catalogue entry filled in, as the pages' render() does: a parameter "@key" is itself an entry. */
export function renderWords(words: Record<string, string>, key: string, params: Record<string, string | number> = {}): string {
  const text = words[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) return `{${name}}`;
    const v = params[name]!;
    return typeof v === 'string' && v.startsWith('@') && v.slice(1) in words ? renderWords(words, v.slice(1)) : String(v);
  });
}

/** Sentences joined as one: a sentence's own full stop is not doubled. */
function sentences(xs: string[]): string {
  return xs.map((w, i) => (i === xs.length - 1 || /[.。!?]$/.test(w) ? w : `${w}.`)).join(' ');
}

export interface ResultSeat {
  seat: string;
  /** The seat in the scenario's words ("General A"). */
  label: string;
  /** The student's name, "bot", or "" for an empty seat; in the anonymised form a student is named by table and seat. */
  name: string;
}

export interface ResultRow {
  table: string;
  game: number;
  scenario: string;
  /** The scenario's title in its words. */
  title: string;
  startedAt: number;
  endedAt: number;
  durationS: number;
  outcome: string;
  failures: string;
  messengersSent: number | '';
  captured: number | '';
  decisions: string;
  seats: ResultSeat[];
}

const num = (x: unknown): number | '' => (typeof x === 'number' && Number.isFinite(x) ? x : '');

/** One finished game as a row. */
export function resultRow(r: GameResult, opts: ResultOptions = {}): ResultRow {
  const sc = scenarioOf(r.scenario);
  const lang = opts.lang ?? 'en';
  const words = (scenarioWords as Record<string, Record<ResultLang, Record<string, string>>>)[r.scenario]?.[lang] ?? {};
  const say = (l: Label) => renderWords(words, l.key, l.params);
  const v = (r.verdict ?? {}) as Record<string, unknown>;
  const failures = Array.isArray(v.failures) ? v.failures.map(String) : Array.isArray(v.violations) ? v.violations.map(() => 'safety') : [];
  const seats = Object.entries(r.players).map(([seat, name]): ResultSeat => {
    const own = sc.seatLabel?.(seat);
    const label = words[`seat.${seat}`] ?? (own ? say(own) : seat);
    const student = name !== '' && name !== 'bot';
    const shown = name === 'bot' ? resultWords[lang]['csv.bot'] : name;
    return { seat, label, name: opts.anonymised && student ? `${r.table} ${label}` : shown };
  });
  return {
    table: r.table,
    game: r.game,
    scenario: r.scenario,
    title: words[`scenario.${r.scenario}`] ?? r.scenario,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationS: Math.round((r.endedAt - r.startedAt) / 100) / 10,
    outcome: sentences(sc.summary(r.verdict).map(say)),
    failures: failures.join('; '),
    messengersSent: num(v.messengersSent),
    captured: num(v.captured),
    decisions: (sc.decisions?.(r.verdict) ?? []).map(say).join('; '),
    seats,
  };
}

/** The rows as a header and records of plain cells, as many seat columns as the largest table has. */
export function resultsTable(results: readonly GameResult[], opts: ResultOptions = {}): (string | number)[][] {
  const rows = results.map((r) => resultRow(r, opts));
  const width = Math.max(0, ...rows.map((r) => r.seats.length));
  const words = resultWords[opts.lang ?? 'en'];
  const say = (key: keyof typeof words, n?: number) => renderWords(words, key, n === undefined ? {} : { n });
  const header = [
    ...(
      [
        'csv.table',
        'csv.game',
        'csv.scenario',
        'csv.title',
        'csv.started',
        'csv.ended',
        'csv.duration',
        'csv.outcome',
        'csv.failures',
        'csv.sent',
        'csv.captured',
        'csv.decisions',
      ] as const
    ).map((k) => say(k)),
    ...Array.from({ length: width }, (_, i) => [say('csv.seat', i + 1), say('csv.player', i + 1)]).flat(),
  ];
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    header,
    ...rows.map((r) => [
      r.table,
      r.game,
      r.scenario,
      r.title,
      iso(r.startedAt),
      iso(r.endedAt),
      r.durationS,
      r.outcome,
      r.failures,
      r.messengersSent,
      r.captured,
      r.decisions,
      ...Array.from({ length: width }, (_, i) => [r.seats[i]?.label ?? '', r.seats[i]?.name ?? '']).flat(),
    ]),
  ];
}
