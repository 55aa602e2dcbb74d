// `npm run replay -- <log file> [--verify] [--lang en|zh]`: print each game's timeline and verdict as
// text, in the same words as the screens. With --verify, exit non-zero on a corrupt log, an unknown
// format version or a broken safety property, saying which line and why.
import { readFileSync, statSync } from 'node:fs';
import { Replayer, openLog, scenarioOf, verifyLog, type Label } from '@valley/shared';
import { en } from '../client/src/i18n/en.ts';
import { render } from '../client/src/i18n/render.ts';
import { zh } from '../client/src/i18n/zh.ts';

const MAX_MB = 200;

function usage(msg: string): never {
  console.error(`${msg}\nusage: npm run replay -- <log file> [--verify] [--lang en|zh]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const verify = args.includes('--verify');
const langArg = args.find((a) => a.startsWith('--lang'))?.split('=')[1] ?? (args.includes('--lang') ? args[args.indexOf('--lang') + 1] : 'en');
for (const a of args) if (a.startsWith('--') && !['--verify', '--lang'].includes(a.split('=')[0]!)) usage(`unknown option ${a}`);
if (!file) usage('no log file given');
if (langArg !== 'en' && langArg !== 'zh') usage(`unknown language ${langArg}`);
const cat = langArg === 'zh' ? zh : en;
const say = (l: Label) => render(cat, l.key, l.params);

let text: string;
try {
  if (statSync(file).size > MAX_MB * 1024 * 1024) usage(`${file} is larger than ${MAX_MB} MB`);
  text = readFileSync(file, 'utf8');
} catch (err) {
  console.error(`cannot read ${file}: ${(err as Error).message}`);
  process.exit(2);
}

const parsed = openLog(text);
if (!parsed.ok) {
  console.error(`${file}: line ${parsed.error.line}: ${parsed.error.reason}`);
  process.exit(1);
}
for (const w of parsed.warnings) console.error(`${file}: line ${w.line}: warning: ${w.reason}`);

const clock = (ms: number) => `${Math.floor(ms / 60000)}:${String(Math.floor((ms % 60000) / 1000)).padStart(2, '0')}.${Math.floor((ms % 1000) / 100)}`;

/** The verdict at the game's last event, in the scenario's own words (a game still running may have none yet). */
function verdictText(scenario: string, verdict: unknown): string {
  const words = scenarioOf(scenario).summary(verdict).map(say);
  // Sentences joined as one: a sentence's own full stop is not doubled.
  if (words.length === 0) return render(cat, 'replay.unfinished');
  return words.map((w, i) => (i === words.length - 1 ? w : w.endsWith('。') ? w : w.endsWith('.') ? `${w} ` : `${w}. `)).join('');
}

for (const game of parsed.games) {
  const sc = scenarioOf(game.entry.scenario);
  const r = new Replayer(game);
  const d = sc.diagram(r.stateAt(r.length));
  const seatName = (seat: string) => say(d.lanes.find((l) => l.seat === seat)?.label ?? { key: seat, params: {} });
  console.log(
    `\n== ${render(cat, 'replay.game', { table: game.entry.table, game: game.entry.game, scenario: render(cat, `scenario.${game.entry.scenario}`) })}`,
  );
  console.log(
    Object.entries(game.entry.players)
      .map(([s, n]) => `${seatName(s)}: ${n}`)
      .join(' · '),
  );
  const rows: [number, string][] = [];
  for (const m of d.messengers) {
    rows.push([
      m.sentAt,
      `#${m.n} ${seatName(m.from)} → ${seatName(m.to)}: ${say(m.label)} — ${render(cat, m.status === 'inFlight' && d.endedAt !== null ? 'diagram.fate.inFlightAtEnd' : `diagram.fate.${m.status}`)}${m.status === 'inFlight' ? '' : ` @ ${clock(m.endsAt - game.entry.startedAt)}`}`,
    ]);
  }
  for (const mk of d.marks) {
    // A mark's words often name its seat already ("General A: attack at 06:00"): then not twice.
    const words = say(mk.label);
    rows.push([mk.at, mk.seat && !words.includes(seatName(mk.seat)) ? `${seatName(mk.seat)}: ${words}` : words]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  for (const [at, line] of rows) console.log(`  ${clock(at - game.entry.startedAt).padStart(8)}  ${line}`);
  console.log(`  ${render(cat, 'replay.verdict')}: ${verdictText(game.entry.scenario, game.entry.verdict)}`);
}

if (verify) {
  const v = verifyLog(text);
  // Rules broken on purpose in free mode are what the lesson shows: listed, not failures.
  for (const b of v.broken) console.log(`${file}: line ${b.line}: rule broken on purpose: ${b.reason}`);
  for (const p of v.problems) console.error(`${file}: line ${p.line}: ${p.reason}`);
  if (!v.ok) process.exit(1);
  const how = v.rulesReplayed ? 'every step replayed through the rules' : 'format 1: facts checked; it records no causes, so the rules were not replayed';
  console.log(`\n${file}: ok (${v.games} games checked; ${how})`);
}
