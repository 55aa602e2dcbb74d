// Two Generals in the replay: a general's line at the cursor, the verdict with the knowledge ladder,
// and a finished game's outcome for the list of games.
import { tg } from '@valley/shared';
import { t, type Key } from '../../i18n/index.ts';
import { ladderRungs, outcomeText, whyText } from './Debrief.tsx';
import { Check, X } from 'lucide-preact';

export function SeatLine({ view: v }: { view: tg.TGView | tg.TGValleyView }) {
  if (v.seat === 'V')
    return (
      <span>
        {t('valley.title')}: {v.crossing.map((m) => `#${m.n}`).join(', ') || t('replay.nothing')}
      </span>
    );
  const got = v.received.map((m) => `#${m.n}`).join(', ');
  const d = v.decision;
  return (
    <span>
      {t('replay.received')}: {got || t('replay.nothing')}
      {d && ` · ${d.type === 'attack' ? t('tg.decide.attack', { time: tg.formatTime(d.time) }) : t('tg.decide.hold')}`}
    </span>
  );
}

export function VerdictPanel({ state: s }: { state: tg.State }) {
  const ladder = tg.knowledge(s.messengers);
  return (
    <>
      {s.outcome && s.decisions.A && s.decisions.B ? (
        <>
          <p class="big">{outcomeText(s.outcome, { A: s.decisions.A, B: s.decisions.B })}</p>
          {whyText({ outcome: s.outcome, decisions: { A: s.decisions.A, B: s.decisions.B }, messengers: s.messengers }, null).map((line, i) => (
            <p key={i} class="small">
              {line}
            </p>
          ))}
        </>
      ) : (
        <p class="muted">{t('replay.unfinished')}</p>
      )}
      <ol class="ladder">
        {ladderRungs(ladder).map((r) => (
          <li key={r.k} class={r.reached ? 'reached' : 'unreached'}>
            {r.reached ? <Check /> : <X />} {t('tg.ladder.rung', { k: r.k, sentence: r.text })}
          </li>
        ))}
      </ol>
    </>
  );
}

export const outcome = (v: tg.TGVerdict): string => (v.outcome ? t(`host.outcome.${v.outcome}` as Key) : '');
