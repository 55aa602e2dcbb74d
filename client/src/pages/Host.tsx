// The host console, sized for a projector: the join code, address and QR code, the roster, the
// valley's settings, every table live, and the class results at the end.
import { signal } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import {
  MAX_WATCHED,
  SCENARIO_IDS,
  isScenarioId,
  scenarioOf,
  type GameControl,
  type GameStatus,
  type HostCommand,
  type HostTable,
  type HostView,
  type ScenarioId,
} from '@valley/shared';
import { ErrorLine, Header, Offline, storageWhy, useTick } from '../components/common.tsx';
import { Results } from '../components/Results.tsx';
import { PairForm, PairOffer, useLanBase } from '../components/Pairing.tsx';
import { seatLabel } from '../components/labels.ts';
import { SpaceTime } from '../components/SpaceTime.tsx';
import { bundleOf } from '../scenarios/index.ts';
import { clock } from '../format.ts';
import { explain, t, type Key } from '../i18n/index.ts';
import { EV, call, getSocket, onConnect, serverNow, syncClock } from '../net.ts';
import { navigate } from '../router.ts';
import { hostKey, saveHostKey } from '../storage.ts';

const view = signal<HostView | null>(null);
/** What new tables play: the host's choice, remembered by this browser. */
const remembered = localStorage.getItem('valley.scenario') ?? '';
const scenarioChoice = signal<ScenarioId>(isScenarioId(remembered) ? remembered : SCENARIO_IDS[0]!);
const chooseScenario = (s: ScenarioId) => {
  scenarioChoice.value = s;
  localStorage.setItem('valley.scenario', s);
};
const storageError = signal<string | null>(null);
const error = signal<string | null>(null);

/** Tables that moved (or came into view): each replaces its old self. */
function mergeTables(tables: HostTable[]) {
  const v = view.value;
  if (!v || tables.length === 0) return;
  const byId = new Map(tables.map((t) => [t.id, t]));
  view.value = { ...v, tables: v.tables.map((t) => byId.get(t.id) ?? t) };
}

/** The tables on screen (and a screen's height around it): the server sends these in detail. */
const watched = new Set<string>();
let watchTimer: ReturnType<typeof setTimeout> | null = null;
let observer: IntersectionObserver | null = null;

function tellWatched() {
  if (watchTimer) return;
  // A scroll moves many cards at once: say it once.
  watchTimer = setTimeout(async () => {
    watchTimer = null;
    const tables = [...watched].slice(0, MAX_WATCHED);
    const r = await call<{ now: number; tables: HostTable[] }>(EV.hostWatch, { tables });
    if (r.ok) {
      syncClock(r.now);
      foldUnwatched(new Set(tables));
      mergeTables(r.tables);
    }
  }, 120);
}

/**
 * Tables no longer watched: the server sends them by status from now on, and nothing at all until they
 * move (a paused or finished one, never). Fold them to their summary at once rather than keep a stale
 * whole game on the page.
 */
function foldUnwatched(shown: Set<string>) {
  const v = view.value;
  const stale = (t: HostTable) => t.game?.state != null && !shown.has(t.id);
  if (!v || !v.tables.some(stale)) return;
  view.value = { ...v, tables: v.tables.map((t) => (stale(t) ? { ...t, game: { ...t.game!, state: null } } : t)) };
}

function watchCards(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      let changed = false;
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.table!;
        if (e.isIntersecting && !watched.has(id)) changed = !!watched.add(id);
        else if (!e.isIntersecting && watched.delete(id)) changed = true;
      }
      if (changed) tellWatched();
    },
    { rootMargin: '100% 0px' },
  );
  return observer;
}

async function command(cmd: HostCommand): Promise<boolean> {
  error.value = null;
  const r = await call<object>(EV.hostCommand, cmd);
  if (!r.ok) error.value = explain(r.error);
  return r.ok;
}

export function Host({ sessionId }: { sessionId: string | null }) {
  const [noKey, setNoKey] = useState(false);
  useEffect(() => {
    if (!sessionId) {
      void (async () => {
        const res = await fetch('/api/sessions', { method: 'POST' }).catch(() => null);
        if (!res || res.status !== 201) return (error.value = explain({ rule: 'net/offline' }));
        const s = (await res.json()) as { sessionId: string; code: string; hostToken: string };
        saveHostKey(s.sessionId, { hostToken: s.hostToken, code: s.code });
        navigate(`/host/${s.sessionId}`);
      })();
      return;
    }
    const key = hostKey(sessionId);
    if (!key) return setNoKey(true);
    const socket = getSocket();
    const onView = (m: { now: number; view: HostView; storageError: string | null }) => {
      syncClock(m.now);
      view.value = m.view;
      storageError.value = m.storageError;
    };
    const onTable = (m: { now: number; tables: HostTable[] }) => {
      syncClock(m.now);
      mergeTables(m.tables);
    };
    // Only new results come: the list from index `from` on.
    const onResults = (m: { now: number; from: number; results: HostView['results'] }) => {
      const v = view.value;
      if (v) view.value = { ...v, results: [...v.results.slice(0, m.from), ...m.results] };
    };
    socket.on(EV.hostView, onView);
    socket.on(EV.hostTable, onTable);
    socket.on(EV.hostResults, onResults);
    onConnect(async () => {
      // Only the tables on screen come with every messenger (a hall has hundreds): none until the
      // page has laid its cards out and said which are visible.
      const r = await call<{ now: number; view: HostView; storageError: string | null }>(EV.hostAttach, {
        sessionId,
        hostToken: key.hostToken,
        watch: [...watched],
      });
      if (r.ok) onView(r);
      else if (r.error.rule === 'auth/bad-token') setNoKey(true);
      else error.value = explain(r.error);
    });
    return () => {
      socket.off(EV.hostView, onView);
      socket.off(EV.hostTable, onTable);
      socket.off(EV.hostResults, onResults);
    };
  }, [sessionId]);

  const v = view.value;
  if (noKey) {
    return (
      <div class="page host">
        <Header />
        <main class="center">
          <section class="card pair-card">
            <h1>{t('pair.enter.title')}</h1>
            <p>{t('host.noToken')}</p>
            <p class="muted">{t('pair.enter.text')}</p>
            <PairForm />
          </section>
        </main>
      </div>
    );
  }
  if (!v || !sessionId) {
    return (
      <div class="page host">
        <Header />
        <main class="center muted">{t('host.creating')}</main>
        <ErrorLine text={error.value} />
      </div>
    );
  }
  return (
    <div class="page host">
      <Header>
        <span class="bar-title">{t('host.title')}</span>
      </Header>
      <Offline text={t('host.offline')} />
      {storageError.value && <ErrorLine text={t('host.storageError', { why: storageWhy(storageError.value) })} />}
      <main class="host-main">
        <aside class="host-side">
          <JoinInfo code={v.code} />
          <Roster view={v} />
          <section class="panel settings">
            <label class="inline">
              {t('host.scenario')}
              <select name="scenario" value={scenarioChoice.value} onChange={(e) => chooseScenario(e.currentTarget.value as ScenarioId)}>
                {SCENARIO_IDS.map((id) => (
                  <option key={id} value={id}>
                    {t(`scenario.${id}`)}
                  </option>
                ))}
              </select>
            </label>
            <ScenarioSettings key={scenarioChoice.value} scenario={scenarioChoice.value} settings={v.settings[scenarioChoice.value]} />
          </section>
          <DownloadLog sessionId={sessionId} code={v.code} />
          <PairOffer sessionId={sessionId} />
          <a class="link-button" href={`/replay?session=${sessionId}`} target="_blank" rel="noopener">
            ▶ {t('host.replay')}
          </a>
        </aside>
        <section class="host-tables" aria-labelledby="tables-title">
          <div class="tables-head">
            <h2 id="tables-title">{t('host.tables')}</h2>
            <div class="row">
              <button type="button" onClick={() => command({ type: 'createTable', scenario: scenarioChoice.value })}>
                {t('host.addTable')}
              </button>
              <button type="button" class="primary" disabled={v.tables.length === 0} onClick={() => command({ type: 'startGames', table: null })}>
                ▶ {t('host.startAll')}
              </button>
            </div>
          </div>
          <ErrorLine text={error.value} />
          {v.tables.length === 0 && <p class="muted">{t('host.tables.empty')}</p>}
          <div class="table-grid">
            {v.tables.map((tb) => (
              <TableCard key={tb.id} table={tb} players={v.players} />
            ))}
          </div>
          <Results results={v.results} />
        </section>
      </main>
    </div>
  );
}

function JoinInfo({ code }: { code: string }) {
  // A teacher on localhost needs the address students' laptops can reach.
  const base = useLanBase();
  const [svg, setSvg] = useState('');
  const url = `${base}/join/${code}`;
  useEffect(() => {
    void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setSvg);
  }, [url]);
  return (
    <section class="join-info" aria-label={t('host.code')}>
      <div>
        <div class="small muted">{t('host.code')}</div>
        <div class="join-code" data-testid="join-code">
          {code}
        </div>
        <div class="small muted">{t('host.joinAt')}</div>
        <div class="join-url">{url}</div>
      </div>
      {/* The SVG comes from the qrcode library, built from our own URL. */}
      <div class="qr" role="img" aria-label={url} dangerouslySetInnerHTML={{ __html: svg }} />
    </section>
  );
}

function Roster({ view: v }: { view: HostView }) {
  const [bots, setBots] = useState(true);
  return (
    <section class="panel roster">
      <h2>{t('host.roster', { n: v.players.length })}</h2>
      {v.players.length === 0 && <p class="muted">{t('host.roster.empty')}</p>}
      <ul class="plain roster-list">
        {v.players.map((p) => (
          <li key={p.id}>
            <span class="name">{p.name}</span>
            <span class="muted small">
              {p.seat ? `${p.seat.table} · ${seatLabel(v.tables.find((x) => x.id === p.seat!.table)!.scenario, p.seat.seat)}` : t('host.unseated')}
            </span>
            <button
              type="button"
              class="small-button"
              aria-label={`${t('host.remove')} ${p.name}`}
              onClick={() => confirm(t('host.removeConfirm', { name: p.name })) && command({ type: 'removePlayer', playerId: p.id })}
            >
              {t('host.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div class="row">
        <button type="button" class="primary" onClick={() => command({ type: 'autoSeat', bots, scenario: scenarioChoice.value })}>
          {t('host.autoSeat')}
        </button>
        <label class="check">
          <input type="checkbox" checked={bots} onChange={(e) => setBots(e.currentTarget.checked)} /> {t('host.autoSeat.bots')}
        </label>
      </div>
    </section>
  );
}

/** The settings form of the scenario new tables play: its client bundle's, saved as that scenario's. */
function ScenarioSettings({ scenario, settings }: { scenario: ScenarioId; settings: unknown }) {
  const Form = bundleOf(scenario).SettingsForm;
  return <Form settings={settings} save={(s: unknown) => command({ type: 'setSettings', scenario, settings: s })} />;
}

function DownloadLog({ sessionId, code }: { sessionId: string; code: string }) {
  async function download(anonymous: boolean) {
    const key = hostKey(sessionId);
    if (!key) return;
    // The host key goes in a header, never in a URL that could be shared.
    const res = await fetch(`/api/sessions/${sessionId}/log${anonymous ? '?anonymous=1' : ''}`, { headers: { authorization: `Bearer ${key.hostToken}` } });
    if (!res.ok) return (error.value = explain({ rule: 'auth/bad-token' }));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `valley-${code}${anonymous ? '-anonymous' : ''}.ndjson`;
    a.click();
    URL.revokeObjectURL(a.href);
  }
  return (
    <div class="row">
      <button type="button" class="link-button" onClick={() => download(false)}>
        ⬇ {t('host.download')}
      </button>
      <button type="button" class="link-button" onClick={() => download(true)}>
        ⬇ {t('host.downloadAnon')}
      </button>
    </div>
  );
}

function TableCard({ table: tb, players }: { table: HostTable; players: HostView['players'] }) {
  useTick(500);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const o = watchCards();
    o.observe(el);
    return () => {
      o.unobserve(el);
      if (watched.delete(tb.id)) tellWatched();
    };
  }, [tb.id]);
  const g = tb.game;
  // The whole game comes only while the card is on screen; off screen, its status and verdict.
  const state = (g?.state ?? undefined) as GameStatus | undefined;
  const status = g?.status ?? 'waiting';
  const busy = status === 'running' || status === 'paused';
  const control = (c: GameControl) => command({ type: 'controlGame', table: tb.id, control: c });
  const bundle = bundleOf(tb.scenario);
  return (
    <article ref={ref} data-table={tb.id} class={`table-card status-${status} ${bundle.wideCard ? 'wide' : ''}`} aria-label={t('host.table', { id: tb.id })}>
      <header>
        <h3>
          {t('host.table', { id: tb.id })} <span class="muted small">· {t(`scenario.${tb.scenario}` as Key)}</span>
        </h3>
        <span class="status">
          {status === 'running' && g ? t('host.table.running', { t: clock(g.deadlineAt - serverNow()) }) : t(`host.table.${status}` as Key)}
        </span>
      </header>
      <div class="seats">
        {Object.entries(tb.seats).map(([seat, occ]) => (
          <label key={seat} class="seat-pick">
            <span class={`seat-badge seat-${seat} ${bundle.seatClass?.(seat) ?? ''}`} title={bundle.seatLabel(seat)}>
              {seat}
            </span>
            <select
              aria-label={t('host.table.seatLabel', { seat: seatLabel(tb.scenario, seat) })}
              value={occ.occupant?.type === 'player' ? occ.occupant.playerId : (occ.occupant?.type ?? '')}
              onChange={(e) => {
                const val = e.currentTarget.value;
                void command({
                  type: 'setSeat',
                  table: tb.id,
                  seat,
                  occupant: val === '' ? null : val === 'bot' ? { type: 'bot' } : { type: 'player', playerId: val },
                });
              }}
            >
              <option value="">— {t('seat.empty')} —</option>
              <option value="bot">🤖 {t('seat.bot')}</option>
              {players.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {state && <LiveDiagram scenario={tb.scenario} state={state} />}
      {state && <bundle.TableBody state={state} control={control} />}
      {g && !state && <TableSummary scenario={tb.scenario} verdict={g.verdict} lanes={Object.keys(tb.seats).length} />}
      <div class="row controls">
        {!busy && (
          <button type="button" onClick={() => command({ type: 'startGames', table: tb.id })}>
            ▶ {t('host.table.start')}
          </button>
        )}
        {status === 'running' && (
          <button type="button" onClick={() => control({ type: 'pause' })}>
            ‖ {t('host.table.pause')}
          </button>
        )}
        {status === 'paused' && (
          <button type="button" onClick={() => control({ type: 'resume' })}>
            ▶ {t('host.table.resume')}
          </button>
        )}
        {busy && (
          <button type="button" onClick={() => control({ type: 'end' })}>
            ■ {t('host.table.end')}
          </button>
        )}
      </div>
    </article>
  );
}

/**
 * A table off screen: the counts and the outcome, until it scrolls into view. An empty frame keeps the
 * diagram's place (the compact SpaceTime's size for this many lanes), so the card grows little when it
 * comes live and the cards the teacher scrolled to are not pushed away.
 */
function TableSummary({ scenario, verdict, lanes }: { scenario: string; verdict: unknown; lanes: number }) {
  const Summary = bundleOf(scenario).TableSummary;
  return (
    <>
      <div class="diagram-frame" aria-hidden="true" style={{ aspectRatio: `520 / ${20 + 30 * lanes}` }} />
      <Summary verdict={verdict} />
    </>
  );
}

/** The table's space-time diagram, live: the last minute or so, messengers moving across. */
function LiveDiagram({ scenario, state }: { scenario: string; state: GameStatus }) {
  const now = state.status === 'ended' ? (state.endedAt ?? serverNow()) : state.status === 'paused' ? (state.pausedAt ?? serverNow()) : serverNow();
  const from = Math.max(state.startedAt, now - 45_000);
  return <SpaceTime compact diagram={scenarioOf(scenario).diagram(state)} now={now} span={[from, Math.max(now, from + 20_000)]} />;
}
