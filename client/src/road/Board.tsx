// The truth of a road game, as the projector shows it: every server's x and executed list side by side,
// what each client believes, what is crossing the valley, and the failures the moment they happen. The
// board itself is computed in shared (road.board): this only lays it out.
import type { GameControl, Label, road } from '@valley/shared';
import { say, t } from '../i18n/index.ts';
import { HeldAtEnd, MessengerTable, stoppedFate } from '../components/MessengerTable.tsx';

export function FailureBadges({ board: b }: { board: road.Board }) {
  return (
    <p class="road-badges" role="status">
      {b.failures.length === 0 ? (
        <span class="badge badge-ok">{t('road.board.noFailure')}</span>
      ) : (
        [...new Set(b.failures.map((f) => f.id))].map((id) => (
          <span key={id} class="badge badge-failure">
            {t(`road.failure.${id}`)}
          </span>
        ))
      )}
      {b.waiting && <span class="badge badge-waiting">{say(b.waiting)}</span>}
    </p>
  );
}

/** The seats that are neither clients nor servers (the serializer): what they hold, and the host's crash. */
function Others({ board: b, control }: { board: road.Board; control?: (c: GameControl) => Promise<boolean> }) {
  return (
    <div class="road-servers">
      {b.others.map((o) => (
        <article key={o.seat} class={`road-server ${o.down ? 'is-down' : ''}`} aria-label={o.seat}>
          <h4>
            {t(`road.role.${o.role}`, { seat: o.seat })} {o.down && <span class="badge badge-failure">{t('road.board.down')}</span>}
          </h4>
          <ul class="plain small">
            {o.holds.map((h, i) => (
              <li key={i}>{say(h)}</li>
            ))}
          </ul>
          {control && (
            <button type="button" class="small-button" onClick={() => void control({ type: o.down ? 'restart' : 'crash', seat: o.seat })}>
              {t(o.down ? 'road.host.restart' : 'road.host.crash', { seat: o.seat })}
            </button>
          )}
        </article>
      ))}
    </div>
  );
}

export function BoardView({
  board: b,
  control,
  fix,
  reveal,
}: {
  board: road.Board;
  control?: (c: GameControl) => Promise<boolean>;
  fix?: Label;
  reveal?: () => void;
}) {
  return (
    <div class="road-board">
      <FailureBadges board={b} />
      {control && (
        <button type="button" class="primary" onClick={() => void control({ type: 'go' })}>
          {t('road.host.go')}
        </button>
      )}
      {fix &&
        (b.revealed ? (
          <p class="road-lesson">{say(fix)}</p>
        ) : (
          reveal && (
            <button type="button" onClick={reveal}>
              {t('road.host.reveal')}
            </button>
          )
        ))}
      {b.failures.length > 0 && (
        <ul class="plain failures">
          {b.failures.map((f, i) => (
            <li key={i} class="error">
              {say(f.label)}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('road.board.servers')}</h3>
      <p class="small muted">{t('road.start', { x: b.start })}</p>
      <div class="road-servers">
        {b.servers.map((s) => (
          <article key={s.seat} class={`road-server ${s.down ? 'is-down' : ''}`} aria-label={s.seat}>
            <h4>
              {s.seat} {s.down && <span class="badge badge-failure">{t('road.board.down')}</span>}{' '}
              {s.lagging && <span class="badge">{t('road.board.lagging')}</span>}
            </h4>
            <p class="road-x">{t('road.x', { x: s.x })}</p>
            <ol class="small">
              {s.executed.map((e, i) => (
                <li key={i}>{say(e.label)}</li>
              ))}
            </ol>
            {s.holds.length > 0 && (
              <ul class="plain small">
                {s.holds.map((h, i) => (
                  <li key={i}>{say(h)}</li>
                ))}
              </ul>
            )}
            {control && (
              <button type="button" class="small-button" onClick={() => void control({ type: s.down ? 'restart' : 'crash', seat: s.seat })}>
                {t(s.down ? 'road.host.restart' : 'road.host.crash', { seat: s.seat })}
              </button>
            )}
          </article>
        ))}
      </div>
      {b.sameXByChance && <p class="warn-line">{t('road.board.sameX')}</p>}
      {b.others.length > 0 && <Others board={b} control={control} />}
      <h3>{t('road.board.clients')}</h3>
      <div class="road-servers">
        {b.clients.map((c) => (
          <article key={c.seat} class={`road-server ${c.down ? 'is-down' : ''}`} aria-label={c.seat}>
            <h4>
              {c.seat} {c.down && <span class="badge badge-failure">{t('road.board.down')}</span>}
            </h4>
            {c.script.length > 0 && (
              <ol class="script small">
                {c.script.map((l, i) => (
                  <li key={i} class={`script-${l.state}`}>
                    {l.op.replace('*', '×')} <span class="muted">{t(`road.script.${l.state}`)}</span>
                  </li>
                ))}
              </ol>
            )}
            {c.holds.length > 0 && (
              <ul class="plain small">
                {c.holds.map((h, i) => (
                  <li key={i}>{say(h)}</li>
                ))}
              </ul>
            )}
            {control && (
              <button type="button" class="small-button" onClick={() => void control({ type: c.down ? 'restart' : 'crash', seat: c.seat })}>
                {t(c.down ? 'road.host.restart' : 'road.host.crash', { seat: c.seat })}
              </button>
            )}
          </article>
        ))}
      </div>
      {b.sharedCommands.length > 0 && <p class="small muted">{t('road.board.shared', { ops: b.sharedCommands.map((o) => o.replace('*', '×')).join(', ') })}</p>}
      {b.outages.length > 0 && (
        <ul class="plain small">
          {b.outages.map((o, i) => (
            <li key={i}>
              {o.ms === null ? t('road.board.outageNow', { seat: o.seat }) : t('road.board.outage', { seat: o.seat, s: Math.round(o.ms / 1000) })}
            </li>
          ))}
        </ul>
      )}
      {b.predictions.agree + b.predictions.fail > 0 && <p class="small">{t('road.board.predictions', b.predictions)}</p>}
      {b.reflections.length > 0 && (
        <>
          <h3>{t('road.board.reflections')}</h3>
          <ul class="reflections">
            {b.reflections.map((r, i) => (
              <li key={i}>“{r}”</li>
            ))}
          </ul>
        </>
      )}
      <HeldAtEnd count={b.heldAtEnd} />
      {b.crossing.length > 0 && (
        <>
          <h3>{t('road.board.crossing')}</h3>
          <MessengerTable
            rows={b.crossing}
            fate={(m) => (control && stoppedFate(m)) || t(m.status === 'held' ? 'road.board.held' : 'road.valley.crossing')}
            actions={
              control &&
              ((m) => (
                <>
                  <button type="button" class="small-button" onClick={() => void control({ type: m.status === 'held' ? 'release' : 'hold', n: m.n })}>
                    {t(m.status === 'held' ? 'road.valley.release' : 'road.valley.hold')} #{m.n}
                  </button>
                  <button type="button" class="small-button" onClick={() => void control({ type: 'capture', n: m.n })}>
                    {t('road.valley.capture')} #{m.n}
                  </button>
                </>
              ))
            }
          />
        </>
      )}
    </div>
  );
}
