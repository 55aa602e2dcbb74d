// The replay page: open a game from a log — an example, a file from disk, or the host's own session —
// and walk through it event by event on the space-time diagram, with each seat's state and the
// verdict at the cursor. States come from the scenario's own apply(), through shared's Replayer.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Replayer, SCENARIO_IDS, openLog, scenarioOf, scenarios, type Diagram, type Timeline } from '@valley/shared';
import { ErrorLine, Header } from '../components/common.tsx';
import { SpaceTime, describeMessenger, type Selection } from '../components/SpaceTime.tsx';
import { seatLabel } from '../components/labels.ts';
import { bundleOf } from '../scenarios/index.ts';
import { clock } from '../format.ts';
import { say, t, type Key } from '../i18n/index.ts';
import { hostKey } from '../storage.ts';
import { ArrowLeft, Pause, Play, SkipBack, SkipForward, StepBack, StepForward } from 'lucide-preact';

/**
 * The largest log file the page opens. A lecture hall's lesson writes ~230 bytes per event: 100,000
 * events are 23 MB and open in under a second (docs/PERFORMANCE.md, replay); past this, a laptop's
 * tab would take seconds and hundreds of MB.
 */
export const MAX_LOG_MB = 64;
/**
 * The recorded examples (scripts/examples.ts): the two ends of the path, and each road level's game
 * that shows the failure the level exists to show (its showcase, which its title names).
 */
const ROAD_EXAMPLES = SCENARIO_IDS.flatMap((id) => {
  const protocol = (scenarios[id] as { protocol?: { showcase: { failure: string } } }).protocol;
  return protocol ? [{ name: `road-${id}`, level: id, failure: protocol.showcase.failure }] : [];
});
const EXAMPLES: readonly string[] = ['tg-victory', 'tg-defeat', 'paxos-crash', 'paxos-duel', ...ROAD_EXAMPLES.map((e) => e.name)];

function exampleTitle(name: string): string {
  const road = ROAD_EXAMPLES.find((e) => e.name === name);
  if (road) return t('replay.example.road', { level: t(`scenario.${road.level}` as Key), failure: t(`road.failure.${road.failure}` as Key) });
  return t(`replay.example.${name}` as Key);
}

type Loaded = { games: Timeline[]; warnings: { line: number; reason: string }[] };

/** Reads a log's text into its games, or says in words what is wrong and where. */
export function loadLog(text: string): { ok: true; loaded: Loaded } | { ok: false; error: string } {
  // One pass: the fold that checks every line also indexes the games. Timed for the bench.
  const start = performance.now();
  const parsed = openLog(text);
  performance.measure('valley:openLog', { start });
  if (!parsed.ok) return { ok: false, error: t('replay.error.line', { line: parsed.error.line, reason: parsed.error.reason }) };
  return { ok: true, loaded: { games: parsed.games, warnings: parsed.warnings } };
}

/** Where the games came from: an example, the host's own session, or (null) a file from disk. */
type Source = { example: string } | { session: string } | null;

const sameSource = (a: Source, b: Source) => JSON.stringify(a) === JSON.stringify(b);

/** The source, game and step the address names (a file from disk has no address of its own). */
function fromAddress(): { source: Source; table: string | null; game: number | null; at: number | null } {
  const p = new URLSearchParams(location.search);
  const example = p.get('example');
  const session = p.get('session');
  const source: Source = session ? { session } : example && EXAMPLES.includes(example) ? { example } : null;
  const num = (k: string) => (p.get(k) !== null && /^\d+$/.test(p.get(k)!) ? Number(p.get(k)) : null);
  return { source, table: p.get('table'), game: num('game'), at: num('at') };
}

/**
 * The address of the list of a source's games, or of one game at step `at`: shareable, so it names
 * the source and the game, never a key (the host's key stays in this browser's storage).
 */
function addressOf(source: Source, game: Timeline | null, at?: number): string {
  const p = new URLSearchParams(location.search);
  for (const k of ['example', 'session', 'table', 'game', 'at']) p.delete(k);
  if (source && 'example' in source) p.set('example', source.example);
  if (source && 'session' in source) p.set('session', source.session);
  if (game) {
    p.set('table', game.entry.table);
    p.set('game', String(game.entry.game));
    if (at !== undefined) p.set('at', String(at));
  }
  const q = p.toString();
  return `/replay${q ? `?${q}` : ''}`;
}

/** A game opened from its source's list: "← All games" goes back to that entry rather than add one. */
const FROM_LIST = { replayFromList: true };

export function Replay() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [source, setSource] = useState<Source>(null);
  const [error, setError] = useState<string | null>(null);
  const [game, setGame] = useState<Timeline | null>(null);
  /** The step to open the game at (from the address), and a count that reopens it on each navigation. */
  const [startAt, setStartAt] = useState<number | null>(null);
  const [visit, setVisit] = useState(0);
  const stepTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelStep = () => {
    if (stepTimer.current) clearTimeout(stepTimer.current);
    stepTimer.current = null;
  };
  const shown = useRef<Timeline | null>(null);
  shown.current = game;
  /** Whether the games listed are the host's own session's (else a file's or an example's). */
  const ownSession = source !== null && 'session' in source;

  /** The game the address names, in these games; or, for a log of one game, that game. */
  const pick = (games: Timeline[], a: ReturnType<typeof fromAddress>, single: boolean) =>
    a.table !== null || a.game !== null
      ? (games.find((g) => g.entry.table === a.table && g.entry.game === a.game) ?? null)
      : single && games.length === 1
        ? games[0]!
        : null;

  /** Shows the text's games; `push`: a new history entry (a pick from the page), else the address stays. */
  const load = (text: string, src: Source, push: boolean) => {
    const r = loadLog(text);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setSource(src);
    setLoaded(r.loaded);
    const a = fromAddress();
    const g = push ? (r.loaded.games.length === 1 ? r.loaded.games[0]! : null) : pick(r.loaded.games, a, true);
    setGame(g);
    setStartAt(push ? null : a.at);
    setVisit((v) => v + 1);
    if (push) history.pushState(null, '', addressOf(src, g));
    else history.replaceState(history.state, '', addressOf(src, g, g ? (a.at ?? undefined) : undefined));
  };

  const openFile = async (file: File) => {
    if (file.size > MAX_LOG_MB * 1024 * 1024) return setError(t('replay.error.tooLarge', { mb: Math.round(file.size / 1048576), max: MAX_LOG_MB }));
    try {
      load(await file.text(), null, true);
    } catch {
      setError(t('replay.error.read'));
    }
  };

  const fetchSource = async (src: Source, push: boolean) => {
    if (!src) return;
    let res: Response | null;
    if ('session' in src) {
      const key = hostKey(src.session);
      if (!key) return setError(t('host.noToken'));
      res = await fetch(`/api/sessions/${src.session}/log`, { headers: { authorization: `Bearer ${key.hostToken}` } }).catch(() => null);
    } else res = await fetch(`/examples/${src.example}.ndjson`).catch(() => null);
    if (!res?.ok) return setError(t('replay.error.read'));
    load(await res.text(), src, push);
  };

  const openGame = (g: Timeline) => {
    history.pushState(FROM_LIST, '', addressOf(source, g));
    setGame(g);
    setStartAt(null);
    setVisit((v) => v + 1);
  };

  const backToList = () => {
    cancelStep();
    shown.current = null;
    if ((history.state as typeof FROM_LIST | null)?.replayFromList) history.back();
    else {
      history.pushState(null, '', addressOf(source, null));
      setGame(null);
    }
  };

  // The address leads: on opening the page, and on the browser's Back and Forward.
  const follow = () => {
    cancelStep();
    const a = fromAddress();
    if (a.source && !sameSource(a.source, source)) return void fetchSource(a.source, false);
    if (!a.source && source) {
      // Back to the page's own address: the examples, nothing open.
      setLoaded(null);
      setSource(null);
      setGame(null);
      return;
    }
    setGame(loaded ? pick(loaded.games, a, false) : null);
    setStartAt(a.at);
    setVisit((v) => v + 1);
  };
  useEffect(() => {
    addEventListener('popstate', follow);
    return () => removeEventListener('popstate', follow);
  });
  useEffect(() => {
    const a = fromAddress();
    if (a.source) void fetchSource(a.source, false);
  }, []);

  // The step in the address follows the cursor (once it rests: the history allows few changes a second).
  const onStep = (k: number) => {
    cancelStep();
    const g = game;
    stepTimer.current = setTimeout(() => {
      // Only while that game is still the one open (the page may have moved on since).
      if (g && shown.current === g) history.replaceState(history.state, '', addressOf(source, g, k));
    }, 250);
  };
  useEffect(() => cancelStep, []);

  return (
    <div class="page replay">
      <Header>
        <span class="bar-title">{t('replay.title')}</span>
      </Header>
      <main class="replay-main">
        <ErrorLine text={error} />
        {loaded?.warnings.map((w) => (
          <p key={w.line} class="muted">
            {t('replay.warning', { reason: w.reason, line: w.line })}
          </p>
        ))}
        {game ? (
          <Viewer key={`${game.entry.table}/${game.entry.game}/${visit}`} timeline={game} onBack={backToList} startAt={startAt} onStep={onStep} />
        ) : (
          <div class="replay-pick">
            <section class="card">
              <h1>{t('replay.title')}</h1>
              <p>{t('replay.intro')}</p>
              <DropZone onFile={openFile} />
              <h2 class="spaced">{t('replay.examples')}</h2>
              <ul class="plain">
                {EXAMPLES.map((e) => (
                  <li key={e}>
                    <button type="button" class="link-button" onClick={() => fetchSource({ example: e }, true)}>
                      <Play /> {exampleTitle(e)}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
            {loaded && <GameList games={loaded.games} onPick={openGame} title={ownSession ? t('replay.sessionGames') : t('replay.games')} />}
          </div>
        )}
      </main>
    </div>
  );
}

function DropZone({ onFile }: { onFile: (f: File) => void }) {
  const [over, setOver] = useState(false);
  return (
    <label
      class={`dropzone ${over ? 'over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const f = e.dataTransfer?.files[0];
        if (f) onFile(f);
      }}
    >
      <span>{t('replay.drop')}</span>
      <input
        type="file"
        name="log"
        accept=".ndjson,.jsonl,.json,.txt,application/x-ndjson"
        aria-label={t('replay.open')}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) onFile(f);
        }}
      />
    </label>
  );
}

function outcomeOf(tl: Timeline): string {
  if (tl.entry.endedAt === null) return t('replay.unfinished');
  return bundleOf(tl.entry.scenario).outcome(tl.entry.verdict);
}

// One formatter for the whole list: toLocaleString() builds a new one at every call, and a hall's log
// lists thousands of games. The same fields as toLocaleString(): the date and the time, numeric.
let whenFormat: Intl.DateTimeFormat | null = null;
const when = (at: number) =>
  (whenFormat ??= new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })).format(at);

function GameList({ games, onPick, title }: { games: Timeline[]; onPick: (g: Timeline) => void; title: string }) {
  return (
    <section class="card">
      <h2>{title}</h2>
      {games.length === 0 && <p class="muted">{t('replay.empty')}</p>}
      <ul class="plain game-list">
        {games.map((g) => (
          <li key={`${g.entry.table}/${g.entry.game}`}>
            <button type="button" onClick={() => onPick(g)}>
              <strong>{t('replay.game', { table: g.entry.table, game: g.entry.game, scenario: t(`scenario.${g.entry.scenario}` as Key) })}</strong>
              <span class="muted small"> · {t('replay.gameWhen', { date: when(g.entry.startedAt) })}</span>
              <span> · {outcomeOf(g)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const SPEEDS = [0.5, 1, 2, 4, 8];

function Viewer({
  timeline,
  onBack,
  startAt,
  onStep,
}: {
  timeline: Timeline;
  onBack: () => void;
  /** The step to open at (from a shared address), else the end. */
  startAt: number | null;
  /** Told each step the cursor comes to, for the address. */
  onStep: (k: number) => void;
}) {
  const replayer = useMemo(() => new Replayer(timeline), [timeline]);
  const [k, setK] = useState(startAt === null ? replayer.length : Math.min(startAt, replayer.length));
  useEffect(() => onStep(k), [k]);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [selected, setSelected] = useState<Selection>(null);
  const sc = scenarioOf(timeline.entry.scenario);
  const state = useMemo(() => replayer.stateAt(k), [replayer, k]);
  const full = useMemo(() => sc.diagram(replayer.stateAt(replayer.length)), [replayer]);
  const diagram = useMemo(() => sc.diagram(state), [state]);
  const now = replayer.timeAt(k);
  // The picture spans the game's action; a decision made by the deadline long after stands at the edge.
  const lastAction = Math.max(
    ...full.messengers.map((m) => m.endsAt),
    ...full.marks.filter((m) => m.kind !== 'outcome' && !(m.kind === 'decision' && m.at === full.endedAt)).map((m) => m.at),
    timeline.entry.startedAt + 1000,
  );
  const span: [number, number] = [
    timeline.entry.startedAt,
    Math.min(Math.max(replayer.timeAt(replayer.length), timeline.entry.startedAt + 1000), lastAction + (lastAction - timeline.entry.startedAt) * 0.08),
  ];

  useEffect(() => {
    if (!playing) return;
    if (k >= replayer.length) {
      setPlaying(false);
      return;
    }
    const id = setTimeout(() => setK((x) => Math.min(replayer.length, x + 1)), 500 / speed);
    return () => clearTimeout(id);
  }, [playing, k, speed]);

  const step = (d: number) => {
    setPlaying(false);
    setK((x) => Math.max(0, Math.min(replayer.length, x + d)));
  };
  useEffect(() => {
    // The keys work anywhere on the page while a game is open.
    const listener = (e: KeyboardEvent) => onKey(e);
    addEventListener('keydown', listener);
    return () => removeEventListener('keydown', listener);
  });
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if ((target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range') || target.tagName === 'SELECT') return;
    if (target.tagName === 'INPUT' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) return; // the slider moves itself
    if (e.key === ' ' && (e.target as HTMLElement).getAttribute('role') !== 'button') {
      e.preventDefault();
      if (k >= replayer.length) setK(0);
      setPlaying((p) => !p);
    } else {
      const by = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[e.key];
      if (by === undefined) return;
      e.preventDefault();
      step(by);
    }
  };

  return (
    <div class="viewer">
      <div class="viewer-head">
        <button type="button" class="link-button" onClick={onBack}>
          <ArrowLeft /> {t('replay.back')}
        </button>
        <h1>{t('replay.game', { table: timeline.entry.table, game: timeline.entry.game, scenario: t(`scenario.${timeline.entry.scenario}` as Key) })}</h1>
        <span class="muted">
          {Object.entries(timeline.entry.players)
            .map(([seat, name]) => `${seatLabel(timeline.entry.scenario, seat)}: ${name === 'bot' ? t('seat.bot') : name}`)
            .join(' · ')}
        </span>
      </div>
      <div class="controls-bar" role="toolbar" aria-label={t('replay.title')}>
        <button type="button" aria-label={t('replay.start')} onClick={() => step(-Infinity)}>
          <SkipBack />
        </button>
        <button type="button" aria-label={t('replay.stepBack')} onClick={() => step(-1)}>
          <StepBack />
        </button>
        <button
          type="button"
          class="primary"
          onClick={() => {
            if (k >= replayer.length) setK(0);
            setPlaying((p) => !p);
          }}
        >
          {playing ? (
            <>
              <Pause /> {t('replay.pause')}
            </>
          ) : (
            <>
              <Play /> {t('replay.play')}
            </>
          )}
        </button>
        <button type="button" aria-label={t('replay.stepForward')} onClick={() => step(1)}>
          <StepForward />
        </button>
        <button type="button" aria-label={t('replay.end')} onClick={() => step(Infinity)}>
          <SkipForward />
        </button>
        <input
          type="range"
          class="scrub"
          min={0}
          max={replayer.length}
          value={k}
          aria-label={t('replay.scrub')}
          onInput={(e) => {
            setPlaying(false);
            setK(Number(e.currentTarget.value));
          }}
        />
        <label class="inline">
          {t('replay.speed')}
          <select value={speed} onChange={(e) => setSpeed(Number(e.currentTarget.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <span class="position" aria-live="polite">
          {t('replay.position', { k, n: replayer.length, t: clock(now - timeline.entry.startedAt) })}
        </span>
      </div>
      <p class="muted small">{t('replay.keys')}</p>
      <SpaceTime diagram={diagram} now={now} span={span} selected={selected} onSelect={setSelected} showCursor />
      <div class="viewer-panels">
        <section class="panel">
          <h2>{t('replay.selected')}</h2>
          <SelectedDetail diagram={diagram} selected={selected} last={k > 0 ? timeline.events[k - 1]! : null} />
        </section>
        <section class="panel">
          <h2>{t('replay.state')}</h2>
          <SeatStates scenario={timeline.entry.scenario} state={state} seats={timeline.entry.seats} />
        </section>
        <section class="panel verdict-panel">
          <h2>{t('replay.verdict')}</h2>
          <VerdictPanel scenario={timeline.entry.scenario} state={state} />
        </section>
      </div>
    </div>
  );
}

function SelectedDetail({ diagram, selected, last }: { diagram: Diagram; selected: Selection; last: { at: number; event: unknown } | null }) {
  if (selected?.type === 'messenger') {
    const m = diagram.messengers.find((x) => x.n === selected.n);
    if (m) return <p>{describeMessenger(m, diagram)}</p>;
  }
  if (selected?.type === 'mark') {
    const mk = diagram.marks[selected.index];
    if (mk) return <p>{say(mk.label)}</p>;
  }
  // Nothing selected: the event at the cursor, in words — its messenger, or the marks it made on the
  // diagram (a decision, a promise, the moment a value was chosen); the raw event only on request.
  const n = (last?.event as { n?: number } | undefined)?.n;
  const m = n === undefined ? undefined : diagram.messengers.find((x) => x.n === n);
  const marks = m || !last ? [] : diagram.marks.filter((mk) => mk.at === last.at);
  return (
    <>
      <p class="muted">{t('replay.selectHint')}</p>
      {m && <p>{describeMessenger(m, diagram)}</p>}
      {marks.map((mk, i) => (
        <p key={i}>{say(mk.label)}</p>
      ))}
      {!m && last && (
        <details>
          <summary class="muted small">{t('replay.rawEvent')}</summary>
          <pre class="event-json">{JSON.stringify(last.event, null, 1)}</pre>
        </details>
      )}
    </>
  );
}

function SeatStates({ scenario, state, seats }: { scenario: string; state: unknown; seats: string[] }) {
  const sc = scenarioOf(scenario);
  return (
    <ul class="plain seat-states">
      {seats.map((seat) => {
        const v = sc.view(state, seat);
        return (
          <li key={seat}>
            <strong>{seatLabel(scenario, seat)}</strong>: <SeatLine scenario={scenario} view={v} />
          </li>
        );
      })}
    </ul>
  );
}

function SeatLine({ scenario, view }: { scenario: string; view: unknown }) {
  const Line = bundleOf(scenario).SeatLine;
  return <Line view={view} />;
}

function VerdictPanel({ scenario, state }: { scenario: string; state: unknown }) {
  const Panel = bundleOf(scenario).VerdictPanel;
  return <Panel state={state} />;
}
