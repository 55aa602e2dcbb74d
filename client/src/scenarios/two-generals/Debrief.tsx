// After the game: the outcome, both decisions, every messenger's fate, and the knowledge ladder.
import { tg } from '@valley/shared';
import { say, t, type Key } from '../../i18n/index.ts';
import { HeldAtEnd, MessengerTable } from '../../components/MessengerTable.tsx';

const seatName = (s: string) => t(`seat.${s}` as Key);

export const describePayload = (p: tg.Payload): string => say(tg.payloadLabel(p));

export function outcomeText(outcome: tg.Outcome, decisions: tg.Debrief['decisions']): string {
  const time = decisions.A.type === 'attack' ? tg.formatTime(decisions.A.time) : '';
  return t(`tg.outcome.${outcome}` as Key, { time });
}

const OUTCOME_ICON: Record<tg.Outcome, string> = { victory: '✓', noBattle: '–', defeat: '✗' };

export function decisionText(seat: string, d: tg.Committed): string {
  if (d.type === 'attack') return t('tg.debrief.decision.attack', { seat: seatName(seat), time: tg.formatTime(d.time) });
  return t(d.byDeadline ? 'tg.debrief.decision.byDeadline' : 'tg.debrief.decision.hold', { seat: seatName(seat) });
}

/** The rungs climbed, each with whose knowledge it is; the first rung not reached ends the list. */
export function ladderRungs(ladder: tg.Debrief['ladder']): { k: number; text: string; reached: boolean }[] {
  const a = ladder.A?.depth ?? 0;
  const b = ladder.B?.depth ?? 0;
  const top: tg.General = a >= b ? 'A' : 'B';
  const depth = Math.max(a, b);
  const receiver = (k: number): tg.General => ((depth - k) % 2 === 0 ? top : top === 'A' ? 'B' : 'A');
  const sentence = (k: number) => {
    const r = receiver(k);
    const o = r === 'A' ? 'B' : 'A';
    const params = { r: seatName(r), o: seatName(o), k };
    return t(k === 1 ? 'tg.ladder.k1' : k === 2 ? 'tg.ladder.k2' : 'tg.ladder.kn', params);
  };
  const rungs = Array.from({ length: depth }, (_, i) => ({ k: i + 1, text: sentence(i + 1), reached: true }));
  // The next rung is the one nobody can be sure of: its messenger may always be captured.
  if (depth > 0) rungs.push({ k: depth + 1, text: sentence(depth + 1), reached: false });
  return rungs;
}

export function Debrief({ view: v }: { view: tg.TGView | tg.TGValleyView }) {
  const d = v.debrief!;
  const rungs = ladderRungs(d.ladder);
  return (
    <div class="debrief">
      <section class={`outcome outcome-${d.outcome}`} role="status">
        <span class="outcome-icon" aria-hidden="true">
          {OUTCOME_ICON[d.outcome]}
        </span>
        {outcomeText(d.outcome, d.decisions)}
      </section>
      <div class="debrief-grid">
        <section class="panel">
          <h2>{t('tg.debrief.decisions')}</h2>
          <ul class="plain">
            {(['A', 'B'] as const).map((s) => (
              <li key={s} class={s === v.seat ? 'mine' : ''}>
                {decisionText(s, d.decisions[s])}
              </li>
            ))}
          </ul>
          <h2>{t('tg.ladder.title')}</h2>
          <ol class="ladder">
            {rungs.map((r) => (
              <li key={r.k} class={r.reached ? 'reached' : 'unreached'}>
                <span aria-hidden="true">{r.reached ? '✓' : '✗'}</span> {t('tg.ladder.rung', { k: r.k, sentence: r.text })}
              </li>
            ))}
          </ol>
          <ul class="plain">
            {(['A', 'B'] as const).map((s) => {
              const rung = d.ladder[s];
              return <li key={s}>{rung ? t('tg.ladder.reached', { seat: seatName(s), k: rung.depth }) : t('tg.ladder.none', { seat: seatName(s) })}</li>;
            })}
          </ul>
          <p class="lesson">{t('tg.ladder.text')}</p>
        </section>
        <section class="panel">
          <h2>{t('debrief.messengers')}</h2>
          <HeldAtEnd count={d.heldAtEnd} />
          <MessengerTable rows={d.messengers.map((m) => ({ ...m, label: tg.payloadLabel(m.payload) }))} mine={v.seat} />
          {v.seat !== 'V' && <OtherKnew messengers={d.messengers} seat={v.seat === 'A' ? 'B' : 'A'} />}
        </section>
      </div>
    </div>
  );
}

/** The other general's inbox, revealed after the game: what they actually knew when they decided. */
function OtherKnew({ messengers, seat }: { messengers: tg.Messenger[]; seat: tg.General }) {
  const got = messengers.filter((m) => m.to === seat && m.status === 'delivered');
  return (
    <>
      <h2 class="spaced">{t('tg.ladder.other', { seat: seatName(seat) })}</h2>
      {got.length === 0 ? (
        <p class="muted">{t('tg.ladder.otherNothing', { seat: seatName(seat) })}</p>
      ) : (
        <ul class="plain">
          {got.map((m) => (
            <li key={m.n}>
              #{m.n} · {describePayload(m.payload)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
