// Paxos in the replay: each seat's line at the cursor (an acceptor's storage, a proposer's ballot, a
// learner's tally), the verdict (the value chosen, safety), and a finished game's outcome.
import { px } from '@valley/shared';
import { t } from '../../i18n/index.ts';
import { ballot } from './labels.ts';
import { chosenText } from './Seat.tsx';
import { Zap } from 'lucide-preact';

export function SeatLine({ view: v }: { view: px.PaxosView }) {
  if (v.role === 'acceptor' && v.acceptor) {
    const a = v.acceptor;
    return (
      <span>
        {t('px.card.promised')} {ballot(a.promised)} · {t('px.card.accepted')}{' '}
        {a.acceptedValue !== null && a.acceptedBallot ? `${a.acceptedValue} @ ${ballot(a.acceptedBallot)}` : t('px.card.none')}
        {a.crashed && (
          <>
            {' · '}
            <Zap /> {t('host.px.crashedTag')}
          </>
        )}
      </span>
    );
  }
  if (v.role === 'proposer') {
    const b = v.ballots[0];
    return (
      <span>
        {b
          ? `${t('px.prepare.ballot', { ballot: b.label })} · ${t('px.ballot.promises', { k: b.promises.length, q: v.quorum })}${b.acceptSent !== null ? ` · ${t('px.ballot.accepted', { k: b.accepted.length, q: v.quorum })}` : ''}`
          : t('px.ballots.empty')}
      </span>
    );
  }
  if (v.role === 'learner')
    return (
      <span>
        {v.declared
          ? t('replay.declared', { value: v.declared })
          : v.tally.map((r) => `${r.value} @ ${r.ballot}: ${r.acceptors.length}/${v.quorum}`).join(' · ') || t('px.tally.empty')}
      </span>
    );
  return <span>{v.crossing.length}</span>;
}

export function VerdictPanel({ state: s }: { state: px.State }) {
  const c = chosenText(s.chosen, px.safety(s));
  return (
    <>
      <p class={!c.safe ? 'error' : s.chosen.length > 0 ? 'good' : 'muted'}>{c.chosen}</p>
      <p>{c.safety}</p>
    </>
  );
}

export const outcome = (v: px.PaxosVerdict): string =>
  v.chosen ? `${v.values.join(' / ')}${v.safe ? '' : ` (${t('host.px.broken')})`}` : t('px.debrief.notChosen');
