// Home: join a game with a code and a name, or create a session to host a class.
import { useState } from 'preact/hooks';
import { NAME_MAX, SCENARIO_IDS, checkName, isCode, normaliseCode, scenarios, type PlayerView, type ScenarioId } from '@valley/shared';
import { ErrorLine, Header, storageWhy } from '../components/common.tsx';
import { explain, t, type Key } from '../i18n/index.ts';
import { EV, call, markEntered, nameSession } from '../net.ts';
import { enterScreen } from './Play.tsx';
import { PairForm } from '../components/Pairing.tsx';
import { navigate } from '../router.ts';
import { playerKey, saveHostKey, savePlayerKey } from '../storage.ts';
import { Play } from 'lucide-preact';

/**
 * What the game offers, from the scenario registry in its order (the order a class walks it): the
 * scenarios before the road's levels, the road's levels (the scenarios with a replicated-number
 * protocol), and those after it.
 */
const PATH = (() => {
  const isRoad = (id: ScenarioId) => 'protocol' in scenarios[id];
  const first = SCENARIO_IDS.findIndex(isRoad);
  const after = SCENARIO_IDS.length - [...SCENARIO_IDS].reverse().findIndex(isRoad);
  return [
    { kind: 'generals', ids: SCENARIO_IDS.slice(0, first) },
    { kind: 'road', ids: SCENARIO_IDS.slice(first, after) },
    { kind: 'after', ids: SCENARIO_IDS.slice(after) },
  ] as const;
})();

/** Room for a code typed as the projector shows it, letter-spaced or with dashes; the join sends it normalised. */
const CODE_FIELD_MAX = 32;

export function Home({ code: initialCode }: { code: string }) {
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The join address (or its QR code) opened again in a browser that kept a seat's key: one tap back to it.
  const initial = normaliseCode(initialCode);
  const [seat, setSeat] = useState(() => (isCode(initial) ? playerKey(initial) : null));

  async function join(e: Event) {
    e.preventDefault();
    const c = normaliseCode(code);
    if (!isCode(c)) return setError(explain({ rule: 'join/unknown-code' }));
    const n = checkName(name);
    if (!n.ok) return setError(explain({ rule: `name/${n.reason}`, evidence: { max: 24 } }));
    setBusy(true);
    nameSession(c);
    const r = await call<{ token: string; playerId: string; now: number; view: PlayerView; v: number }>(EV.playerJoin, { code: c, name });
    setBusy(false);
    if (!r.ok) return setError(explain(r.error));
    markEntered();
    enterScreen(r);
    savePlayerKey(c, { token: r.token, playerId: r.playerId, name: n.name });
    navigate(`/play/${c}`);
  }

  async function host() {
    setBusy(true);
    const res = await fetch('/api/sessions', { method: 'POST' }).catch(() => null);
    setBusy(false);
    if (res?.status === 507) {
      // The data folder refuses to be written: the teacher is the one who can fix that, so say what is wrong.
      const body = (await res.json().catch(() => null)) as { error?: { evidence?: { code?: unknown } } } | null;
      return setError(t('home.storageError', { why: storageWhy(String(body?.error?.evidence?.code ?? 'EIO')) }));
    }
    if (!res || res.status !== 201) return setError(explain({ rule: res?.status === 429 ? 'protocol/rate-limited' : 'net/offline' }));
    const s = (await res.json()) as { sessionId: string; code: string; hostToken: string };
    saveHostKey(s.sessionId, { hostToken: s.hostToken, code: s.code });
    navigate(`/host/${s.sessionId}`);
  }

  return (
    <div class="page home">
      <Header />
      <main class="home-main">
        <section class="hero">
          <h1>{t('app.tagline')}</h1>
          <p class="story">{t('home.story')}</p>
          <h2>{t('home.path.title')}</h2>
          <ol class="path">
            {PATH.map((part) => (
              <li key={part.kind}>
                <strong>{part.ids.map((id) => t(`scenario.${id}` as Key)).join(' · ')}</strong>
                <span class="small">{t(`home.path.${part.kind}`)}</span>
              </li>
            ))}
          </ol>
        </section>
        <section class="card join-card" aria-labelledby="join-title">
          <h2 id="join-title">{t('home.join.title')}</h2>
          {seat ? (
            <div class="join-back">
              <p>{t('home.join.back', { code: initial })}</p>
              <button type="button" class="primary" autoFocus onClick={() => navigate(`/play/${initial}`)}>
                {t('home.join.continue', { name: seat.name })}
              </button>
              <button type="button" class="secondary" onClick={() => setSeat(null)}>
                {t('home.join.someoneElse')}
              </button>
            </div>
          ) : (
            <form onSubmit={join}>
              <label>
                {t('home.join.code')}
                <input
                  name="code"
                  class="code-input"
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  maxLength={CODE_FIELD_MAX}
                  value={code}
                  onInput={(e) => setCode(e.currentTarget.value.toUpperCase())}
                />
              </label>
              <label>
                {t('home.join.name')}
                <input
                  name="name"
                  autocomplete="nickname"
                  maxLength={NAME_MAX * 2}
                  value={name}
                  autoFocus={!!initialCode}
                  onInput={(e) => setName(e.currentTarget.value)}
                />
              </label>
              <ErrorLine text={error} />
              <button type="submit" class="primary" disabled={busy}>
                {busy ? t('join.joining') : t('home.join.submit')}
              </button>
            </form>
          )}
        </section>
        <section class="card host-card" aria-labelledby="host-title">
          <h2 id="host-title">{t('home.host.title')}</h2>
          <p>{t('home.host.text')}</p>
          <button type="button" class="secondary" onClick={host} disabled={busy}>
            {t('home.host.submit')}
          </button>
          <details class="pair-details">
            <summary>{t('pair.enter.title')}</summary>
            <p class="small">{t('pair.enter.text')}</p>
            <PairForm />
          </details>
        </section>
        <section class="card replay-card">
          <h2>{t('replay.title')}</h2>
          <p>{t('replay.intro')}</p>
          <a class="button" href="/replay">
            <Play /> {t('replay.examples')}
          </a>
        </section>
      </main>
    </div>
  );
}
