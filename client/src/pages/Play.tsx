// A student's page: enters (or re-enters) their seat with the key this browser kept, then shows the
// lobby or their seat's screen. A reload, a closed lid or a Wi-Fi drop resumes the same seat.
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { Screen, type PlayerView, type ScreenPatch } from '@valley/shared';
import { ErrorLine, Header, Offline } from '../components/common.tsx';
import { bundleOf } from '../scenarios/index.ts';
import { seatInSentence } from '../components/labels.ts';
import { explain, t } from '../i18n/index.ts';
import { EV, alreadyEntered, call, getSocket, markEntered, nameSession, onConnect, syncClock, type ServerError } from '../net.ts';
import { navigate } from '../router.ts';
import { forgetPlayerKey, playerKey } from '../storage.ts';

/** The seat's latest view; the home page sets it straight from a fresh join. */
export const view = signal<PlayerView | null>(null);
const fatal = signal<string | null>(null);
const actionError = signal<string | null>(null);
/** The screen as the server last patched it: the whole view on entering, then changes. */
const screen = new Screen<PlayerView>();
/** Asks the server for the whole screen again (set while the page is open). */
let resync: (() => void) | null = null;

/** Entering (joining or resuming) brings the whole screen and its version. */
export function enterScreen(r: { now: number; view: PlayerView | null; v: number }) {
  syncClock(r.now);
  screen.reset(r.view, r.v);
  view.value = r.view;
}

function patchScreen(now: number, patch: ScreenPatch | null | undefined) {
  syncClock(now);
  if (!patch) return;
  const r = screen.apply(patch);
  if (r === 'applied') {
    // A new game: what was refused in the last one no longer applies.
    if (screen.view?.game?.index !== view.value?.game?.index) showRefusal(null);
    view.value = screen.view;
  }
  // A change was missed (it cannot happen on one connection, but a page should heal): start over.
  else if (r === 'gap') resync?.();
}

const actionId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
};

/** How long a refusal stays on screen (the game moves on; an old "not yet" would mislead). */
const REFUSAL_MS = 15_000;
let refusalTimer: ReturnType<typeof setTimeout> | null = null;

function showRefusal(text: string | null) {
  actionError.value = text;
  if (refusalTimer) clearTimeout(refusalTimer);
  refusalTimer = text === null ? null : setTimeout(() => showRefusal(null), REFUSAL_MS);
}

/** How often an action whose answer was lost with the connection is sent again, once the seat is back. */
const RETRIES = 3;
const RESEAT_WAIT_MS = 30_000;

/** Resolves once this page has entered its seat on the current connection (false: not within `ms`). */
async function reseated(ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (alreadyEntered()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return alreadyEntered();
}

export async function act(action: unknown): Promise<boolean> {
  showRefusal(null);
  // An id of its own: when the answer is lost (the Wi-Fi drops after the server took the action), the
  // page sends the same action again with the same id once its seat is back, and the server answers the
  // retry as it answered the first — the action is applied once, and the student is not told it failed.
  const id = actionId();
  let r: Awaited<ReturnType<typeof call<{ now: number; patch: ScreenPatch | null }>>>;
  for (let attempt = 0; ; attempt++) {
    // Offline, or reconnected with the seat not yet resumed: sent now, the action would reach the
    // server before the resume (socket.io sends what it buffered first) and hear "join first". It
    // waits for the seat, as it does after a lost answer.
    if (!alreadyEntered()) await reseated(RESEAT_WAIT_MS);
    // The answer brings what the action changed on the screen.
    r = await call<{ now: number; patch: ScreenPatch | null }>(EV.playerAct, { action, id, view: true });
    // Lost with the connection, or sent in the instant between a reconnection and the resume.
    const again = !r.ok && (r.error.rule === 'net/offline' || r.error.rule === 'auth/not-joined');
    if (!again || attempt >= RETRIES || !(await reseated(RESEAT_WAIT_MS))) break;
  }
  if (!r.ok) showRefusal(explain(r.error));
  else patchScreen(r.now, r.patch);
  return r.ok;
}

export function Play({ code }: { code: string }) {
  useEffect(() => {
    const key = playerKey(code);
    if (!key) {
      navigate(`/join/${code}`);
      return;
    }
    nameSession(code);
    const socket = getSocket();
    const onView = (m: { now: number; patch: ScreenPatch }) => patchScreen(m.now, m.patch);
    const onRemoved = () => {
      forgetPlayerKey(code);
      fatal.value = t('lobby.removed');
    };
    socket.on(EV.playerView, onView);
    socket.on(EV.playerRemoved, onRemoved);
    const enter = async () => {
      const r = await call<{ now: number; view: PlayerView; v: number }>(EV.playerResume, { code, token: key.token });
      if (r.ok) {
        markEntered();
        enterScreen(r);
      } else if (isFinal(r.error)) {
        forgetPlayerKey(code);
        fatal.value = explain(r.error);
      }
    };
    resync = () => void enter();
    onConnect(async () => {
      if (alreadyEntered() && view.value?.code === code) return;
      await enter();
    });
    return () => {
      resync = null;
      socket.off(EV.playerView, onView);
      socket.off(EV.playerRemoved, onRemoved);
    };
  }, [code]);

  const v = view.value;
  return (
    <div class="page play">
      <Header>{v && <span class="who">{v.player.name}</span>}</Header>
      {/* A student the teacher removed is disconnected on purpose: no seat is kept, nothing is retried. */}
      {!fatal.value && <Offline text={t('join.offline')} />}
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

/** A seated student's game: the seat screen of the game's scenario, from its client bundle. */
export function GameSeat({ view: v }: { view: PlayerView }) {
  const game = v.game!.view as { scenario: string };
  const Seat = bundleOf(game.scenario).Seat;
  return <Seat view={game} tablemates={v.tablemates} table={v.seat!.table} act={act} error={actionError.value} />;
}

const isFinal = (e: ServerError) => e.rule === 'auth/bad-token' || e.rule === 'auth/removed' || e.rule === 'join/unknown-code';

function Lobby({ view: v }: { view: PlayerView }) {
  const seatName = (s: string) => (v.seat ? seatInSentence(v.seat.scenario, s) : s);
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
