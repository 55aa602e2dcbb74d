// The host console, sized for a projector: the join code, address and QR code, the roster, the
// valley's settings, every table live, and the class results at the end.
import { useEffect, useState } from 'preact/hooks';
import { withNewResults, type HostTable, type HostView } from '@valley/shared';
import { ErrorLine, Header, Offline, storageWhy } from '../components/common.tsx';
import { Results } from '../components/Results.tsx';
import { PairForm, PairOffer } from '../components/Pairing.tsx';
import { DownloadLog, JoinInfo, NewTables, Roster } from '../host/Sidebar.tsx';
import { command, error, mergeTables, notice, scenarioChoice, storageError, view } from '../host/store.ts';
import { FocusTable } from '../host/FocusTable.tsx';
import { focused } from '../host/focus.ts';
import { TableCard } from '../host/TableCard.tsx';
import { watchList } from '../host/watch.ts';
import { explain, t } from '../i18n/index.ts';
import { EV, call, getSocket, nameSession, onConnect, syncClock } from '../net.ts';
import { navigate } from '../router.ts';
import { hostKey, saveHostKey } from '../storage.ts';
import { Play } from 'lucide-preact';

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
    nameSession(sessionId);
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
      if (v) view.value = withNewResults(v, m.from, m.results);
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
        watch: watchList(),
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
      {focused.value !== null ? (
        <main class="focus-main">
          <ErrorLine text={error.value} />
          <FocusTable id={focused.value} view={v} />
        </main>
      ) : (
        <main class="host-main">
          <aside class="host-side">
            <JoinInfo code={v.code} />
            <Roster view={v} />
            <NewTables settings={v.settings} />
            <DownloadLog sessionId={sessionId} code={v.code} />
            <PairOffer sessionId={sessionId} />
            <a class="link-button" href={`/replay?session=${sessionId}`} target="_blank" rel="noopener">
              <Play /> {t('host.replay')}
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
                  <Play /> {t('host.startAll')}
                </button>
              </div>
            </div>
            <ErrorLine text={error.value} />
            {notice.value && (
              <p class="notice" role="status">
                {notice.value}
              </p>
            )}
            {v.tables.length === 0 && <p class="muted">{t('host.tables.empty')}</p>}
            <div class="table-grid">
              {v.tables.map((tb) => (
                <TableCard key={tb.id} table={tb} players={v.players} />
              ))}
            </div>
            <Results results={v.results} />
            <ClearResults view={v} />
          </section>
        </main>
      )}
    </div>
  );
}

/** Between lessons: the class results leave the screen (the log, the replay and the results CSV keep them). */
function ClearResults({ view: v }: { view: HostView }) {
  if (v.results.length === 0 && v.resultsFrom === 0) return null;
  return (
    <div class="row results-clear">
      {v.resultsFrom > 0 && <span class="muted small">{t('host.results.cleared', { n: v.resultsFrom })}</span>}
      {v.results.length > 0 && (
        <button
          type="button"
          class="small-button"
          onClick={() => confirm(t('host.results.clearConfirm', { n: v.results.length })) && command({ type: 'clearResults' })}
        >
          {t('host.results.clear')}
        </button>
      )}
    </div>
  );
}
