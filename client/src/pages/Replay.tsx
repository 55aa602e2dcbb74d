// The replay page: open a game from a log — an example, a file from disk, or the host's own session —
// and walk through it event by event on the space-time diagram, with each seat's state and the
// verdict at the cursor. States come from the scenario's own apply(), through shared's Replayer.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Replayer, openLog, scenarioOf, type Diagram, type Timeline } from '@valley/shared';
import { ErrorLine, Header } from '../components/common.tsx';
import { SpaceTime, describeMessenger, type Selection } from '../components/SpaceTime.tsx';
import { seatLabel } from '../components/labels.ts';
import { bundleOf } from '../scenarios/index.ts';
import { clock } from '../format.ts';
import { say, t, type Key } from '../i18n/index.ts';
import { hostKey } from '../storage.ts';
import { ArrowLeft, Pause, Play, SkipBack, SkipForward, StepBack, StepForward } from 'lucide-preact';

export const MAX_LOG_MB = 20;
const EXAMPLES = ['tg-victory', 'tg-defeat', 'paxos-crash', 'paxos-duel'] as const;

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

export function Replay() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [game, setGame] = useState<Timeline | null>(null);
  /** Whether the games listed are the host's own session's (else a file's or an example's). */
  const [ownSession, setOwnSession] = useState(false);
  const params = new URLSearchParams(location.search);

  const load = (text: string, own = false) => {
    const r = loadLog(text);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setOwnSession(own);
    setLoaded(r.loaded);
    setGame(r.loaded.games.length === 1 ? r.loaded.games[0]! : null);
  };

  const openFile = async (file: File) => {
    if (file.size > MAX_LOG_MB * 1024 * 1024) return setError(t('replay.error.tooLarge', { mb: Math.round(file.size / 1048576), max: MAX_LOG_MB }));
    try {
      load(await file.text());
    } catch {
      setError(t('replay.error.read'));
    }
  };

  const fetchText = async (url: string, init?: RequestInit, own = false) => {
    const res = await fetch(url, init).catch(() => null);
    if (!res?.ok) return setError(t('replay.error.read'));
    load(await res.text(), own);
  };

  useEffect(() => {
    const session = params.get('session');
    const example = params.get('example');
    if (session) {
      const key = hostKey(session);
      if (key) void fetchText(`/api/sessions/${session}/log`, { headers: { authorization: `Bearer ${key.hostToken}` } }, true);
      else setError(t('host.noToken'));
    } else if (example && (EXAMPLES as readonly string[]).includes(example)) {
      void fetchText(`/examples/${example}.ndjson`);
    }
  }, []);

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
          <Viewer key={`${game.entry.table}/${game.entry.game}`} timeline={game} onBack={loaded && loaded.games.length > 1 ? () => setGame(null) : null} />
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
                    <button type="button" class="link-button" onClick={() => fetchText(`/examples/${e}.ndjson`)}>
                      <Play /> {t(`replay.example.${e}` as Key)}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
            {loaded && <GameList games={loaded.games} onPick={setGame} title={ownSession ? t('replay.sessionGames') : t('replay.games')} />}
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

function Viewer({ timeline, onBack }: { timeline: Timeline; onBack: (() => void) | null }) {
  const replayer = useMemo(() => new Replayer(timeline), [timeline]);
  const [k, setK] = useState(replayer.length);
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
        {onBack && (
          <button type="button" class="link-button" onClick={onBack}>
            <ArrowLeft /> {t('replay.back')}
          </button>
        )}
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
