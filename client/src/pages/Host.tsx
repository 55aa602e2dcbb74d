// The host console, sized for a projector: the join code, address and QR code, the roster, the
// valley's settings, every table live, and the class results at the end.
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { HostCommand, HostTable, HostView, tg } from '@valley/shared';
import { ErrorLine, Header, Offline, useTick } from '../components/common.tsx';
import { MessengerTable, decisionText, outcomeText } from '../components/Debrief.tsx';
import { Results } from '../components/Results.tsx';
import { clock, percent } from '../format.ts';
import { explain, t, type Key } from '../i18n/index.ts';
import { EV, call, getSocket, onConnect, serverNow, syncClock } from '../net.ts';
import { navigate } from '../router.ts';
import { hostKey, saveHostKey } from '../storage.ts';

const view = signal<HostView | null>(null);
const storageError = signal<string | null>(null);
const error = signal<string | null>(null);

async function command(cmd: HostCommand): Promise<boolean> {
  error.value = null;
  const r = await call<object>(EV.hostCommand, cmd);
  if (!r.ok) error.value = explain(r.error);
  return r.ok;
}

const seatName = (s: string) => t(`seat.${s}` as Key);

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
    socket.on(EV.hostView, onView);
    onConnect(async () => {
      const r = await call<{ now: number; view: HostView; storageError: string | null }>(EV.hostAttach, { sessionId, hostToken: key.hostToken });
      if (r.ok) onView(r);
      else if (r.error.rule === 'auth/bad-token') setNoKey(true);
      else error.value = explain(r.error);
    });
    return () => socket.off(EV.hostView, onView);
  }, [sessionId]);

  const v = view.value;
  if (noKey) {
    return (
      <div class="page host">
        <Header />
        <main class="center">
          <ErrorLine text={t('host.noToken')} />
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
      <Offline />
      {storageError.value && <ErrorLine text={t('host.storageError', { error: storageError.value })} />}
      <main class="host-main">
        <aside class="host-side">
          <JoinInfo code={v.code} />
          <Roster view={v} />
          <SettingsForm settings={v.settings['two-generals'] as tg.Config} />
          <DownloadLog sessionId={sessionId} code={v.code} />
        </aside>
        <section class="host-tables" aria-labelledby="tables-title">
          <div class="tables-head">
            <h2 id="tables-title">{t('host.tables')}</h2>
            <div class="row">
              <button type="button" onClick={() => command({ type: 'createTable', scenario: 'two-generals' })}>
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
  const [base, setBase] = useState(location.origin);
  const [svg, setSvg] = useState('');
  useEffect(() => {
    // A teacher on localhost needs the address students' laptops can reach: ask the server.
    if (!['localhost', '127.0.0.1', '[::1]'].includes(location.hostname)) return;
    void fetch('/api/info')
      .then((r) => r.json() as Promise<{ addresses: string[]; port: number }>)
      .then((info) => {
        const lan = info.addresses[0];
        if (lan) setBase(`${location.protocol}//${lan}:${info.port}`);
      })
      .catch(() => {});
  }, []);
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
            <span class="muted small">{p.seat ? `${p.seat.table} · ${seatName(p.seat.seat)}` : t('host.unseated')}</span>
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
        <button type="button" class="primary" onClick={() => command({ type: 'autoSeat', bots, scenario: 'two-generals' })}>
          {t('host.autoSeat')}
        </button>
        <label class="check">
          <input type="checkbox" checked={bots} onChange={(e) => setBots(e.currentTarget.checked)} /> {t('host.autoSeat.bots')}
        </label>
      </div>
    </section>
  );
}

function SettingsForm({ settings }: { settings: tg.Config }) {
  const [s, setS] = useState(settings);
  const [saved, setSaved] = useState(false);
  const num = (k: keyof tg.Config, scale: number) => ({
    value: s[k] / scale,
    onInput: (e: Event) => {
      setSaved(false);
      const raw = Number((e.currentTarget as HTMLInputElement).value) * scale;
      // Milliseconds and counts are whole numbers; the capture rate keeps two decimals.
      setS({ ...s, [k]: k === 'captureRate' ? Math.round(raw * 100) / 100 : Math.round(raw) });
    },
  });
  return (
    <section class="panel settings">
      <h2>{t('host.settings')}</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(await command({ type: 'setSettings', scenario: 'two-generals', settings: s }));
        }}
      >
        <label>
          {t('host.settings.capture', { p: percent(s.captureRate) })}
          <input type="range" min={0} max={100} step={5} name="capture" {...num('captureRate', 0.01)} value={Math.round(s.captureRate * 100)} />
        </label>
        <fieldset>
          <legend>{t('host.settings.delay')}</legend>
          <label class="inline">
            {t('host.settings.delayMin')} <input type="number" min={0} max={60} step={0.1} name="delayMin" {...num('delayMinMs', 1000)} />
          </label>
          <label class="inline">
            {t('host.settings.delayMax')} <input type="number" min={0} max={60} step={0.1} name="delayMax" {...num('delayMaxMs', 1000)} />
          </label>
        </fieldset>
        <label class="inline">
          {t('host.settings.deadline')} <input type="number" min={10} max={3600} step={10} name="deadline" {...num('deadlineMs', 1000)} />
        </label>
        <label class="inline">
          {t('host.settings.botBudget')} <input type="number" min={1} max={50} name="botBudget" {...num('botBudget', 1)} />
        </label>
        <button type="submit">{t('host.settings.apply')}</button>
        {saved && <p class="muted small">{t('host.settings.saved')}</p>}
      </form>
    </section>
  );
}

function DownloadLog({ sessionId, code }: { sessionId: string; code: string }) {
  async function download() {
    const key = hostKey(sessionId);
    if (!key) return;
    // The host key goes in a header, never in a URL that could be shared.
    const res = await fetch(`/api/sessions/${sessionId}/log`, { headers: { authorization: `Bearer ${key.hostToken}` } });
    if (!res.ok) return (error.value = explain({ rule: 'auth/bad-token' }));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `valley-${code}.ndjson`;
    a.click();
    URL.revokeObjectURL(a.href);
  }
  return (
    <button type="button" class="link-button" onClick={download}>
      ⬇ {t('host.download')}
    </button>
  );
}

function TableCard({ table: tb, players }: { table: HostTable; players: HostView['players'] }) {
  useTick(500);
  const state = tb.game?.state as tg.State | undefined;
  const status = state?.status ?? 'waiting';
  const busy = status === 'running' || status === 'paused';
  const count = (s: tg.MessengerStatus) => state?.messengers.filter((m) => m.status === s).length ?? 0;
  return (
    <article class={`table-card status-${status}`} aria-label={t('host.table', { id: tb.id })}>
      <header>
        <h3>{t('host.table', { id: tb.id })}</h3>
        <span class="status">
          {status === 'running' && state
            ? t('host.table.running', { t: clock(state.deadlineAt - serverNow()) })
            : t(`host.table.${status}` as Key)}
        </span>
      </header>
      <div class="seats">
        {Object.entries(tb.seats).map(([seat, occ]) => (
          <label key={seat} class="seat-pick">
            <span class={`seat-badge seat-${seat}`} title={seatName(seat)}>
              {seat}
            </span>
            <select
              aria-label={t('host.table.seatLabel', { seat: seatName(seat) })}
              disabled={busy}
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
      {state && (
        <>
          <p class="stats">
            {t('host.table.stats', { sent: state.messengers.length, delivered: count('delivered'), captured: count('captured'), inFlight: count('inFlight') })}
          </p>
          <ul class="plain decisions">
            {(['A', 'B'] as const).map((s) => {
              const d = state.decisions[s];
              return <li key={s}>{d ? decisionText(s, d) : t('host.table.undecided', { seat: seatName(s) })}</li>;
            })}
          </ul>
          {state.outcome && (
            <p class={`outcome-line outcome-${state.outcome}`}>
              {outcomeText(state.outcome, { A: state.decisions.A!, B: state.decisions.B! })}
            </p>
          )}
          <div class="mini-messengers">
            <MessengerTable messengers={state.messengers.slice(-6)} />
          </div>
        </>
      )}
      <div class="row controls">
        {!busy && (
          <button type="button" onClick={() => command({ type: 'startGames', table: tb.id })}>
            ▶ {t('host.table.start')}
          </button>
        )}
        {status === 'running' && (
          <button type="button" onClick={() => command({ type: 'controlGame', table: tb.id, control: { type: 'pause' } })}>
            ‖ {t('host.table.pause')}
          </button>
        )}
        {status === 'paused' && (
          <button type="button" onClick={() => command({ type: 'controlGame', table: tb.id, control: { type: 'resume' } })}>
            ▶ {t('host.table.resume')}
          </button>
        )}
        {busy && (
          <button type="button" onClick={() => command({ type: 'controlGame', table: tb.id, control: { type: 'end' } })}>
            ■ {t('host.table.end')}
          </button>
        )}
      </div>
    </article>
  );
}
