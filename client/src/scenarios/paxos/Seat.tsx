// A Paxos seat's screen: a proposer's ballots and promises, an acceptor's inbox and stable storage,
// a learner's tally of Accepted messages; then the debrief. It shows only what reached this seat; the
// rules themselves are the server's — the screen just lays out the choices.
import { useState } from 'preact/hooks';
import { px } from '@valley/shared';
import { clock, percent } from '../../format.ts';
import type { Label } from '@valley/shared';
import { explain, say, t } from '../../i18n/index.ts';
import { serverNow } from '../../net.ts';
import { ErrorLine, useTick } from '../../components/common.tsx';
import { ballot, paxosPayload, proposal, seatLabel } from './labels.ts';
import { Hands, HeldAtEnd, MessengerTable } from '../../components/MessengerTable.tsx';
import { Check, Minus, Square, Star, TriangleAlert, X, Zap } from 'lucide-preact';

interface Props {
  view: px.PaxosView;
  table: string;
  act: (a: px.Action) => Promise<boolean>;
  error: string | null;
}

const label = seatLabel;

export function PaxosSeat({ view: v, table, act, error }: Props) {
  return (
    <div class="px">
      <section class="seat-story">
        <div>
          <h1>
            <span class={`seat-badge role-${v.role}`}>{v.seat}</span> {label(v.seat)}
            <span class="muted small"> · {t('host.table', { id: table })}</span>
          </h1>
          <p>{t(`px.story.${v.role}`)}</p>
          <p>
            {v.role !== 'valley' && t('px.story.council', { rate: percent(v.config.captureRate), q: v.quorum, n: v.config.acceptors })}{' '}
            <strong>{t(v.config.mode === 'strict' ? 'px.mode.strict' : 'px.mode.free')}</strong>
          </p>
          {v.status !== 'ended' && (
            <details class="road-map">
              <summary>{t('px.road.title')}</summary>
              <ul class="small">
                {ROAD_KEYS.map((k) => (
                  <li key={k}>{t(k)}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
        {v.status !== 'ended' && <Countdown view={v} />}
      </section>
      {v.crashed && !v.debrief && (
        <p class="crashed-banner" role="status">
          <Zap /> {t('px.crashed')}
        </p>
      )}
      <ErrorLine text={error} />
      {v.debrief ? (
        <PaxosDebrief view={v} />
      ) : v.role === 'valley' ? (
        <ValleyHands view={v} act={act} />
      ) : (
        <div class="px-grid">
          <div class="seat-col">
            {v.role === 'proposer' && <Prepare view={v} act={act} />}
            {v.role === 'acceptor' && <Card acceptor={v.acceptor!} />}
            {v.role === 'learner' && <Tally view={v} act={act} />}
          </div>
          {v.role === 'proposer' ? <Ballots view={v} act={act} /> : <Inbox view={v} act={act} />}
          {v.role === 'proposer' ? <Inbox view={v} act={act} /> : <Outbox view={v} />}
        </div>
      )}
    </div>
  );
}

/** The valley seat: every messenger crossing, with the host's three moves on each. */
function ValleyHands({ view: v, act }: { view: px.PaxosView; act: Props['act'] }) {
  useTick(500);
  const running = v.status === 'running';
  return (
    <section class="panel">
      <h2>{t('px.valley.title')}</h2>
      {v.crossing.length === 0 ? (
        <p class="muted">{t('px.valley.empty')}</p>
      ) : (
        <MessengerTable live rows={paxosRows(v.crossing)} actions={(m) => <Hands row={m} act={act} disabled={!running} />} />
      )}
    </section>
  );
}

function Countdown({ view: v }: { view: px.PaxosView }) {
  useTick();
  const left = v.status === 'paused' && v.pausedAt !== null ? v.deadlineAt - v.pausedAt : v.deadlineAt - serverNow();
  return (
    <div class="countdown" role="timer" aria-live="off">
      <span class="small">{v.status === 'paused' ? t('game.paused') : t('px.deadline')}</span>
      <span class="count">{clock(left)}</span>
    </div>
  );
}

function AcceptorPicker({ view: v, to, setTo }: { view: px.PaxosView; to: string[]; setTo: (s: string[]) => void }) {
  return (
    <fieldset class="picker">
      <legend>{t('px.prepare.to')}</legend>
      {v.seats.acceptors.map((a) => (
        <label key={a} class="check">
          <input type="checkbox" checked={to.includes(a)} onChange={(e) => setTo(e.currentTarget.checked ? [...to, a] : to.filter((x) => x !== a))} /> {a}
        </label>
      ))}
    </fieldset>
  );
}

function Prepare({ view: v, act }: { view: px.PaxosView; act: Props['act'] }) {
  const [round, setRound] = useState<number | null>(null);
  const [to, setTo] = useState(v.seats.acceptors);
  const r = round ?? v.round + 1;
  const b = `${r}.${v.seat}`;
  const breaks = px.prepareBreaks(v, r);
  return (
    <section class="panel">
      <h2>{t('px.prepare.title')}</h2>
      <label class="inline">
        {t('px.prepare.round')}
        <input type="number" name="round" min={1} max={px.MAX_ROUND} value={r} onInput={(e) => setRound(Number(e.currentTarget.value))} />
      </label>
      <p class="big">{t('px.prepare.ballot', { ballot: b })}</p>
      <AcceptorPicker view={v} to={to} setTo={setTo} />
      {breaks && (
        <p class="hint">{t('px.ballot.breaks', { why: explain({ rule: breaks, evidence: { round: r, ballot: b, used: `${v.round}.${v.seat}` } }) })}</p>
      )}
      <button
        type="button"
        class={breaks ? '' : 'primary'}
        disabled={v.status !== 'running'}
        onClick={async () => {
          if (await act({ type: 'prepare', round: r, to })) setRound(null);
        }}
      >
        {t('px.prepare.send', { ballot: b })}
      </button>
    </section>
  );
}

function Ballots({ view: v, act }: { view: px.PaxosView; act: Props['act'] }) {
  return (
    <section class="panel">
      <h2>{t('px.ballots.title')}</h2>
      {v.ballots.length === 0 && <p class="muted">{t('px.ballots.empty')}</p>}
      {v.ballots.map((s, i) => (
        <BallotCard key={s.label} view={v} summary={s} act={act} open={i === 0} />
      ))}
    </section>
  );
}

function BallotCard({ view: v, summary: s, act, open }: { view: px.PaxosView; summary: px.BallotSummary; act: Props['act']; open: boolean }) {
  const [value, setValue] = useState<string | null>(null);
  const [to, setTo] = useState(v.seats.acceptors);
  const val = value ?? s.required?.value ?? '';
  const majority = s.promises.length >= v.quorum;
  const breaks = px.acceptBreaks(s, v.quorum, val);
  const evidence = {
    ballot: s.label,
    promises: s.promises.length,
    needed: v.quorum,
    required: s.required?.value ?? '',
    from: ballot(s.required?.ballot ?? null),
  };
  return (
    <article class={`ballot-card ${open ? 'current' : ''}`} aria-label={t('px.prepare.ballot', { ballot: s.label })}>
      <h3>{t('px.prepare.ballot', { ballot: s.label })}</h3>
      <p>
        <Meter k={s.promises.length} q={v.quorum} /> {t('px.ballot.promises', { k: s.promises.length, q: v.quorum })}
      </p>
      <ul class="plain small">
        {s.promises.map((p) => (
          <li key={p.from}>
            <Check /> {t('px.ballot.promiseFrom', { from: p.from, accepted: proposal(p.accepted) })}
          </li>
        ))}
        {s.nacks.map((n) => (
          <li key={`n${n.from}`}>
            <X /> {n.promised ? t('px.ballot.nack', { from: n.from, promised: ballot(n.promised) }) : t('px.ballot.nackNone', { from: n.from })}
          </li>
        ))}
      </ul>
      {s.acceptSent !== null ? (
        <>
          <p>{t('px.ballot.acceptSent', { value: s.acceptSent })}</p>
          <p>
            <Meter k={s.accepted.length} q={v.quorum} /> {t('px.ballot.accepted', { k: s.accepted.length, q: v.quorum })}
          </p>
          {s.accepted.length >= v.quorum && (
            <p class="chosen-line">
              <Star /> {t('px.ballot.chosen', { value: s.acceptSent })}
            </p>
          )}
        </>
      ) : !open ? (
        <p class="muted small">{t('px.ballot.superseded')}</p>
      ) : (
        <div class="accept-form">
          {majority && <p class="good">{t('px.ballot.majority')}</p>}
          <p class="hint">{s.required ? t('px.ballot.required', { value: s.required.value, ballot: ballot(s.required.ballot) }) : t('px.ballot.free')}</p>
          <label class="inline">
            {t('px.ballot.value')}
            <input name="value" maxLength={px.VALUE_MAX} value={val} onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <AcceptorPicker view={v} to={to} setTo={setTo} />
          {breaks && <p class="hint">{t('px.ballot.breaks', { why: explain({ rule: breaks, evidence }) })}</p>}
          <button
            type="button"
            class={breaks ? '' : 'primary'}
            disabled={v.status !== 'running'}
            onClick={() => act({ type: 'accept', round: s.ballot.round, value: val, to })}
          >
            {t('px.ballot.sendAccept', { ballot: s.label, value: val || '…' })}
          </button>
        </div>
      )}
    </article>
  );
}

/** k of q as filled and empty squares: the count is also written out beside it. */
function Meter({ k, q }: { k: number; q: number }) {
  return (
    <span class="meter" aria-hidden="true">
      {Array.from({ length: Math.max(q, k) }, (_, i) => (
        <Square key={i} fill={i < k ? 'currentColor' : 'none'} />
      ))}
    </span>
  );
}

function Card({ acceptor: a }: { acceptor: px.Acceptor }) {
  return (
    <section class="panel card-storage">
      <h2>{t('px.card.title')}</h2>
      <dl>
        <dt>{t('px.card.promised')}</dt>
        <dd class="big">{ballot(a.promised)}</dd>
        <dt>{t('px.card.accepted')}</dt>
        <dd class="big">{a.acceptedBallot && a.acceptedValue !== null ? `${a.acceptedValue} @ ${ballot(a.acceptedBallot)}` : t('px.card.none')}</dd>
      </dl>
    </section>
  );
}

function Tally({ view: v, act }: { view: px.PaxosView; act: Props['act'] }) {
  return (
    <section class="panel">
      <h2>{t('px.tally.title')}</h2>
      {v.tally.length === 0 && <p class="muted">{t('px.tally.empty')}</p>}
      <ul class="plain">
        {v.tally.map((row) => (
          <li key={`${row.ballot}|${row.value}`} class="tally-row">
            <span>
              <Meter k={row.acceptors.length} q={v.quorum} />{' '}
              {t('px.tally.row', { value: row.value, ballot: row.ballot, k: row.acceptors.length, q: v.quorum })}
            </span>
            {!v.declared && (
              <button type="button" class="small-button" disabled={v.status !== 'running'} onClick={() => act({ type: 'declare', value: row.value })}>
                {t('px.declare', { value: row.value })}
              </button>
            )}
          </li>
        ))}
      </ul>
      {v.declared && (
        <p class="chosen-line">
          <Star /> {t('px.declared', { value: v.declared })}
        </p>
      )}
    </section>
  );
}

const since = (v: px.PaxosView, at: number) => clock(at - v.startedAt);

function Inbox({ view: v, act }: { view: px.PaxosView; act: Props['act'] }) {
  const running = v.status === 'running' && !v.crashed;
  return (
    <section class="panel inbox" aria-live="polite">
      <h2>{t('px.inbox.title')}</h2>
      {v.inbox.length === 0 && <p class="muted">{t('px.inbox.empty')}</p>}
      <ol class="messages">
        {[...v.inbox].reverse().map((m) => (
          <li key={m.n} class="message received">
            <div class="message-head">
              <strong>{t('px.msg.from', { n: m.n, seat: m.from })}</strong>
              <span class="muted small">{t('msg.arrivedAt', { t: since(v, m.arrivedAt) })}</span>
            </div>
            <p>{paxosPayload(m.payload)}</p>
            {v.role === 'acceptor' && (m.payload.type === 'prepare' || m.payload.type === 'accept') && (
              <div class="row">
                {m.answered ? (
                  <span class="muted small">
                    <Check /> {t('px.answered')}
                  </span>
                ) : (
                  <>
                    {v.wouldBreak.includes(m.n) && <span class="hint small">{t('px.inbox.breaks', { promised: ballot(v.acceptor?.promised ?? null) })}</span>}
                    <button
                      type="button"
                      class={v.wouldBreak.includes(m.n) ? 'small-button' : 'small-button primary'}
                      disabled={!running}
                      onClick={() => act(m.payload.type === 'prepare' ? { type: 'promise', n: m.n } : { type: 'acceptProposal', n: m.n })}
                    >
                      {t(m.payload.type === 'prepare' ? 'px.act.promise' : 'px.act.accept')} #{m.n}
                    </button>
                    <button type="button" class="small-button" disabled={!running} onClick={() => act({ type: 'refuse', n: m.n })}>
                      {t('px.act.refuse')} #{m.n}
                    </button>
                  </>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Outbox({ view: v }: { view: px.PaxosView }) {
  return (
    <section class="panel outbox">
      <h2>{t('px.outbox.title')}</h2>
      {v.outbox.length === 0 && <p class="muted">{t('outbox.empty')}</p>}
      <ol class="messages">
        {[...v.outbox].reverse().map((m) => (
          <li key={m.n} class="message sent">
            <div class="message-head">
              <strong>{t('px.msg.to', { n: m.n, seat: m.to })}</strong>
              <span class="muted small">{t('msg.sentAt', { t: since(v, m.sentAt) })}</span>
            </div>
            <p>{paxosPayload(m.payload)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The chosen value and the safety check, in words: from shared's own finding (safety()), never recomputed. */
export function chosenText(chosen: px.Chosen[], safety: px.Safety): { chosen: string; safety: string; safe: boolean } {
  const first = chosen[0];
  return {
    chosen: first ? t('px.debrief.chosen', { value: first.value, ballot: ballot(first.ballot) }) : t('px.debrief.notChosen'),
    safety: safety.ok
      ? t('px.debrief.safe')
      : t('px.debrief.unsafe', { first: safety.first.value, b1: safety.first.ballot, second: safety.second.value, b2: safety.second.ballot }),
    safe: safety.ok,
  };
}

const ROAD_KEYS = ['px.road.1', 'px.road.2', 'px.road.3', 'px.road.4', 'px.road.5', 'px.road.6'] as const;

/** How Paxos reads to a class that walked the road: level 6's words, and the three changes. */
export function RoadMap() {
  return (
    <section class="panel">
      <h2>{t('px.road.title')}</h2>
      <ul>
        {ROAD_KEYS.map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ul>
    </section>
  );
}

function PaxosDebrief({ view: v }: { view: px.PaxosView }) {
  const d = v.debrief!;
  const c = chosenText(d.chosen, d.safety);
  return (
    <div class="debrief">
      <section class={`outcome ${c.safe ? (d.chosen.length ? 'outcome-victory' : 'outcome-noBattle') : 'outcome-defeat'}`} role="status">
        <span class="outcome-icon" aria-hidden="true">
          {c.safe ? d.chosen.length ? <Star /> : <Minus /> : <TriangleAlert />}
        </span>
        <span>
          {c.chosen}
          <br />
          <small>{c.safety}</small>
        </span>
      </section>
      <WhyChosen why={d.why} broken={d.broken} />
      <div class="debrief-grid">
        <section class="panel">
          <h2>{t('px.debrief.acceptors')}</h2>
          <AcceptorTable acceptors={d.acceptors} />
        </section>
        <section class="panel">
          <h2>{t('debrief.messengers')}</h2>
          <HeldAtEnd count={d.heldAtEnd} />
          <MessengerTable rows={paxosRows(d.messengers)} mine={v.seat} />
        </section>
      </div>
      <div class="debrief-grid">
        <section class="panel">
          <h2>{t('px.liveness.title')}</h2>
          <ul>
            {(['px.liveness.1', 'px.liveness.2', 'px.liveness.3', 'px.liveness.4'] as const).map((k) => (
              <li key={k}>{t(k)}</li>
            ))}
          </ul>
        </section>
        <RoadMap />
      </div>
    </div>
  );
}

/** Why the value was the one chosen, and each rule broken in free mode, said of who broke it. */
export function WhyChosen({ why, broken, compact = false }: { why: Label[]; broken: px.State['broken']; compact?: boolean }) {
  if (why.length === 0 && broken.length === 0) return null;
  const Title = compact ? 'h4' : 'h2';
  return (
    <section class={compact ? 'why-chosen compact' : 'panel why-chosen'}>
      {why.length > 0 && (
        <>
          <Title>{t(new Set(why.filter((l) => l.key === 'px.why.majority').map((l) => l.params.value)).size > 1 ? 'px.why.titleTwo' : 'px.why.title')}</Title>
          <ul class="plain">
            {why.map((l, i) => (
              <li key={i}>{say(l)}</li>
            ))}
          </ul>
        </>
      )}
      {broken.length > 0 && (
        <>
          <Title class={why.length > 0 ? 'spaced' : ''}>{t('px.debrief.brokenTitle')}</Title>
          <ul class="plain">
            {broken.map((b, i) => (
              <li key={i}>
                <span aria-hidden="true">⚠ </span>
                {say(px.brokenLabel(b))}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function AcceptorTable({
  acceptors,
  controls,
}: {
  acceptors: Record<string, px.Acceptor>;
  controls?: (seat: string, a: px.Acceptor) => preact.ComponentChildren;
}) {
  return (
    <table class="acceptors">
      <thead>
        <tr>
          <th />
          <th>{t('px.card.promised')}</th>
          <th>{t('px.card.accepted')}</th>
          {controls && <th />}
        </tr>
      </thead>
      <tbody>
        {Object.entries(acceptors).map(([seat, a]) => (
          <tr key={seat} class={a.crashed ? 'crashed' : ''}>
            <td>
              <strong>{seat}</strong>{' '}
              {a.crashed && (
                <span class="tag">
                  <Zap /> {t('host.px.crashedTag')}
                </span>
              )}
            </td>
            <td>{ballot(a.promised)}</td>
            <td>{a.acceptedBallot && a.acceptedValue !== null ? `${a.acceptedValue} @ ${ballot(a.acceptedBallot)}` : t('px.card.none')}</td>
            {controls && <td>{controls(seat, a)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Paxos messengers as table rows, in words. */
export const paxosRows = (ms: px.Messenger[]) => ms.map((m) => ({ ...m, label: px.payloadLabel(m.payload) }));
