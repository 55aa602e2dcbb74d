// After the game: the outcome, both decisions, every messenger's fate, and the knowledge ladder.
import { tg } from '@valley/shared';
import { say, t, type Key } from '../../i18n/index.ts';
import { HeldAtEnd, MessengerTable } from '../../components/MessengerTable.tsx';
import { Check, Minus, X, type LucideIcon } from 'lucide-preact';

const seatName = (s: string) => t(`seat.${s}` as Key);

export const describePayload = (p: tg.Payload): string => say(tg.payloadLabel(p));

export function outcomeText(outcome: tg.Outcome, decisions: tg.Debrief['decisions']): string {
  const time = decisions.A.type === 'attack' ? tg.formatTime(decisions.A.time) : '';
  return t(`tg.outcome.${outcome}` as Key, { time });
}

const OUTCOME_ICON: Record<tg.Outcome, LucideIcon> = { victory: Check, noBattle: Minus, defeat: X };
const OutcomeIcon = ({ outcome }: { outcome: tg.Outcome }) => {
  const Icon = OUTCOME_ICON[outcome];
  return <Icon />;
};

export function decisionText(seat: string, d: tg.Committed): string {
  if (d.type === 'attack') return t('tg.debrief.decision.attack', { seat: seatName(seat), time: tg.formatTime(d.time) });
  return t(d.byDeadline ? 'tg.debrief.decision.byDeadline' : 'tg.debrief.decision.hold', { seat: seatName(seat) });
}

/** A sentence's first letter up (Chinese has none, so it is left as it is). */
export const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The rungs climbed, each spelled out in full ("you know that General B knows that you know the plan"),
 * said to the reader as "you" when there is one; the first rung not reached ends the list.
 */
export function ladderRungs(ladder: tg.Debrief['ladder'], reader: tg.General | null = null): { k: number; text: string; reached: boolean }[] {
  const a = ladder.A?.depth ?? 0;
  const b = ladder.B?.depth ?? 0;
  const top: tg.General = a >= b ? 'A' : 'B';
  const depth = Math.max(a, b);
  const receiver = (k: number): tg.General => ((depth - k) % 2 === 0 ? top : top === 'A' ? 'B' : 'A');
  const knows = (g: tg.General, what: string | null) =>
    g === reader
      ? what === null
        ? t('tg.ladder.plan.you')
        : t('tg.ladder.that.you', { what })
      : what === null
        ? t('tg.ladder.plan.other', { seat: seatName(g) })
        : t('tg.ladder.that.other', { seat: seatName(g), what });
  // Rung k: the receiver of link k knows that the receiver of link k-1 knows … that B knows the plan.
  const spelled = (k: number) => {
    let s: string | null = null;
    for (let j = 1; j <= k; j++) s = knows(receiver(j), s);
    return sentence(s!);
  };
  const rungs = Array.from({ length: depth }, (_, i) => ({ k: i + 1, text: spelled(i + 1), reached: true }));
  // The next rung is the one nobody can be sure of: its messenger may always be captured.
  if (depth > 0) rungs.push({ k: depth + 1, text: `${spelled(depth + 1)} — ${t('tg.ladder.unreached')}`, reached: false });
  return rungs;
}

/** Why the game was won or lost, in sentences, to the reader ("you") when there is one. */
export const whyText = (d: tg.OutcomeFacts, reader: tg.General | null): string[] => tg.whyOutcome(d, reader).map((l) => sentence(say(l)));

export function Debrief({ view: v }: { view: tg.TGView | tg.TGValleyView }) {
  const d = v.debrief!;
  // The valley reads the debrief as an onlooker: "General A knows…", never "you".
  const reader = v.seat === 'V' ? null : v.seat;
  const rungs = ladderRungs(d.ladder, reader);
  return (
    <div class="debrief">
      <section class={`outcome outcome-${d.outcome}`} role="status">
        <span class="outcome-icon" aria-hidden="true">
          <OutcomeIcon outcome={d.outcome} />
        </span>
        <span>
          {outcomeText(d.outcome, d.decisions)}
          {whyText(d, reader).map((line, i) => (
            <small key={i} class="why">
              {line}
            </small>
          ))}
        </span>
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
                {r.reached ? <Check /> : <X />} {t('tg.ladder.rung', { k: r.k, sentence: r.text })}
              </li>
            ))}
          </ol>
          <ul class="plain">
            {(['A', 'B'] as const).map((s) => {
              const rung = d.ladder[s];
              const name = s === v.seat ? t('tg.you') : seatName(s);
              return <li key={s}>{sentence(rung ? t('tg.ladder.reached', { seat: name, k: rung.depth }) : t(`tg.ladder.none.${s}`, { seat: name }))}</li>;
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
