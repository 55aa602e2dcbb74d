// A student's page: enters (or re-enters) their seat with the key this browser kept, then shows the
// lobby or their seat's screen. A reload, a closed lid or a Wi-Fi drop resumes the same seat.
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { PlayerView, px, tg } from '@valley/shared';
import { ErrorLine, Header, Offline } from '../components/common.tsx';
import { PaxosSeat } from '../components/PaxosSeat.tsx';
import { TwoGeneralsSeat } from '../components/TwoGeneralsSeat.tsx';
import { seatLabel } from '../components/labels.ts';
import { explain, t } from '../i18n/index.ts';
import { EV, alreadyEntered, call, getSocket, markEntered, onConnect, syncClock, type ServerError } from '../net.ts';
import { navigate } from '../router.ts';
import { forgetPlayerKey, playerKey } from '../storage.ts';

/** The seat's latest view; the home page sets it straight from a fresh join. */
export const view = signal<PlayerView | null>(null);
const fatal = signal<string | null>(null);
const actionError = signal<string | null>(null);

export async function act(action: tg.Action | px.Action): Promise<boolean> {
  actionError.value = null;
  // The answer brings the screen as it is after the action.
  const r = await call<{ now: number; view: PlayerView | null }>(EV.playerAct, { action, view: true });
  if (!r.ok) actionError.value = explain(r.error);
  else if (r.view) {
    syncClock(r.now);
    view.value = r.view;
  }
  return r.ok;
}

export function Play({ code }: { code: string }) {
  useEffect(() => {
    const key = playerKey(code);
    if (!key) {
      navigate(`/join/${code}`);
      return;
    }
    const socket = getSocket();
    const onView = (m: { now: number; view: PlayerView }) => {
      syncClock(m.now);
      view.value = m.view;
    };
    const onRemoved = () => {
      forgetPlayerKey(code);
      fatal.value = t('lobby.removed');
    };
    socket.on(EV.playerView, onView);
    socket.on(EV.playerRemoved, onRemoved);
    onConnect(async () => {
      if (alreadyEntered() && view.value?.code === code) return;
      const r = await call<{ now: number; view: PlayerView }>(EV.playerResume, { code, token: key.token });
      if (r.ok) {
        markEntered();
        onView(r);
      } else if (isFinal(r.error)) {
        forgetPlayerKey(code);
        fatal.value = explain(r.error);
      }
    });
    return () => {
      socket.off(EV.playerView, onView);
      socket.off(EV.playerRemoved, onRemoved);
    };
  }, [code]);

  const v = view.value;
  return (
    <div class="page play">
      <Header>{v && <span class="who">{v.player.name}</span>}</Header>
      <Offline />
      <main class="play-main">
        {fatal.value ? (
          <section class="card center">
            <ErrorLine text={fatal.value} />
            <a class="button" href={`/join/${code}`}>
              {t('join.again')}
            </a>
          </section>
        ) : !v ? (
          <p class="center muted">{t('join.reconnecting')}</p>
        ) : !v.seat || !v.game ? (
          <Lobby view={v} />
        ) : (
          <GameSeat view={v} />
        )}
      </main>
    </div>
  );
}

function GameSeat({ view: v }: { view: PlayerView }) {
  const game = v.game!.view as { scenario: string };
  const table = v.seat!.table;
  if (game.scenario === 'paxos') {
    return <PaxosSeat view={game as px.PaxosView} table={table} act={act as (a: px.Action) => Promise<boolean>} error={actionError.value} />;
  }
  return <TwoGeneralsSeat view={game as tg.TGView} tablemates={v.tablemates} table={table} act={act} error={actionError.value} />;
}

const isFinal = (e: ServerError) => e.rule === 'auth/bad-token' || e.rule === 'join/unknown-code';

function Lobby({ view: v }: { view: PlayerView }) {
  const seatName = (s: string) => seatLabel(v.seat?.scenario ?? 'two-generals', s);
  return (
    <section class="card lobby">
      <h1>{t('lobby.title', { name: v.player.name })}</h1>
      <p class="muted">{t('lobby.code', { code: v.code })}</p>
      {v.seat ? (
        <>
          <p class="big">{t('lobby.seated', { seat: seatName(v.seat.seat), table: v.seat.table })}</p>
          {Object.entries(v.tablemates).map(([seat, name]) => (
            <p key={seat}>{t('lobby.partner', { name: name === 'bot' ? t('seat.bot') : name || t('seat.empty'), seat: seatName(seat) })}</p>
          ))}
          <p class="waiting">{t('lobby.waitStart')}</p>
        </>
      ) : (
        <p class="waiting">{t('lobby.waitSeat')}</p>
      )}
    </section>
  );
}
