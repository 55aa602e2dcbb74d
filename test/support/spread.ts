// Playing Two Generals through a server spread over workers or nodes (test/integration/cluster.test.ts,
// nodes.test.ts): a running table for a session, the rest of a game to a victory, the log checked.
import { expect } from 'vitest';
import { parseLog, tg, verifyLog } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, hostClient, playerClient, type createSession } from './server.ts';

export type Session = Awaited<ReturnType<typeof createSession>>;
export type Opts = ConstructorParameters<typeof Client>[1];

export const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 50, delayMaxMs: 50, deadlineMs: 60_000 };
export const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
export const act = (c: Client, action: unknown) => c.call(EVENTS.playerAct, { action });

/**
 * A host (at `hostUrl`) and two students (at `url`) at one Two Generals table of `session` whose game
 * is running. `keep` hands each client to the test file's own clean-up.
 */
export async function tgTable(o: { url: string; hostUrl?: string; session: Session; opts?: Opts; keep: <T extends Client>(c: T) => T }) {
  const { url, session, keep, opts = {} } = o;
  const host = keep(await hostClient(o.hostUrl ?? url, session, opts));
  const a = keep(await playerClient(url, session.code, 'Ada', opts));
  const b = keep(await playerClient(url, session.code, 'Bo', opts));
  for (const cmd of [
    { type: 'setSettings', scenario: 'two-generals', settings },
    { type: 'autoSeat', bots: false, scenario: 'two-generals' },
    { type: 'startGames', table: null },
  ])
    expect(await host.call(EVENTS.hostCommand, cmd), cmd.type).toMatchObject({ ok: true });
  await a.until(() => gameView(a)?.status === 'running');
  await b.until(() => gameView(b)?.status === 'running');
  return { host, a, b };
}

/** The rest of a game once A's proposal is on its way: B acknowledges, both attack at six. */
export async function playOn(a: Client, b: Client, ms = 5000) {
  await b.until(() => gameView(b)!.received.length === 1, ms);
  expect(await act(b, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } })).toEqual({ ok: true });
  await a.until(() => gameView(a)!.received.length === 1, ms);
  expect(await act(a, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
  expect(await act(b, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
  await a.until(() => gameView(a)!.status === 'ended', ms);
  expect(gameView(a)!.debrief!.outcome).toBe('victory');
}

/** The host downloads the session's log through `url`; it parses and passes the checker with `games` games. */
export async function expectVerifiedLog(url: string, session: Session, games = 1) {
  const res = await fetch(`${url}/api/sessions/${session.sessionId}/log`, { headers: { authorization: `Bearer ${session.hostToken}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(parseLog(text).ok).toBe(true);
  const v = verifyLog(text);
  expect(v.problems).toEqual([]);
  expect([v.ok, v.games]).toEqual([true, games]);
}
