// Every bad input gets a clear answer, to its sender only; the server keeps running and no other game
// is touched.
import { afterEach, describe, expect, it } from 'vitest';
import { parseLog, tg, type SessionState } from '@valley/shared';
import { ERRORS, EVENTS, type Reply } from '@valley/shared/protocol';
import { ManualClock } from '@valley/server/clock';
import { Client, createSession, playerClient, startServer, type TestServer, runningTable, tracked } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const { clients, track } = tracked();
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose([server], clients));

const gameView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
const act = (c: Client, action: unknown) => c.call(EVENTS.playerAct, { action });
const propose = { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } };
const note = { type: 'sendMessenger', payload: { type: 'note', text: 'hello' } };
const refused = (rule: string, evidence: Record<string, string | number> = {}) => ({ ok: false, error: { rule, evidence } });
const badMessage = (path: string, problem: string) => refused(ERRORS.badMessage, { path, problem });

type Session = { sessionId: string; code: string; hostToken: string };

/** A session with one table whose game is running: a host and two students, Ada (A) and Bo (B). */
async function table(names: [string, string]) {
  return runningTable(server.url, settings, names, track);
}

/** Two sessions on one server: the first is where the bad inputs go, the second must not notice. */
async function classroom(opts: Parameters<typeof startServer>[0] = {}) {
  server = await startServer(opts);
  const first = await table(['Ada', 'Bo']);
  const second = await table(['Cy', 'Di']);
  const live = (s: Session) => server.valley.registry.byId.get(s.sessionId)!;
  const before: SessionState = live(second.session).state;
  /** The second session saw no event at all, and its students got no error. */
  const untouched = () => {
    expect(live(second.session).state).toBe(before);
    expect(second.a.errors).toEqual([]);
    expect(second.b.errors).toEqual([]);
    expect(second.host.errors).toEqual([]);
    expect(second.a.socket.connected && second.b.socket.connected).toBe(true);
  };
  /** The second session's students play a whole game and win: the server still serves everyone else. */
  const stillPlays = async () => {
    untouched();
    const { a, b } = second;
    expect(await act(a, propose)).toEqual({ ok: true });
    await server.clock.advance(1000);
    await b.until(() => gameView(b)!.received.length === 1);
    expect(await act(b, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } })).toEqual({ ok: true });
    expect(await act(b, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await a.until(() => gameView(a)!.received.length === 1);
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
    await a.until(() => gameView(a)!.status === 'ended');
    expect(gameView(a)!.debrief!.outcome).toBe('victory');
  };
  return { ...first, second, live, untouched, stillPlays };
}

describe('malformed messages', () => {
  it('wrong types, NaN, missing fields and non-objects are refused with where and what, never the value', async () => {
    const { session, a, b, host, untouched, stillPlays } = await classroom();
    const stranger = track(new Client(server.url));
    expect(await stranger.call(EVENTS.playerJoin, { code: session.code, name: 42 })).toEqual(badMessage('name', 'invalid_type'));
    expect(await stranger.call(EVENTS.playerJoin, { code: session.code })).toEqual(badMessage('name', 'invalid_type'));
    expect(await stranger.call(EVENTS.playerJoin, { code: ['A'], name: 'Eve' })).toEqual(badMessage('code', 'invalid_type'));
    expect(await stranger.call(EVENTS.playerJoin, 'Eve')).toEqual(badMessage('', 'invalid_type'));
    expect(await stranger.call(EVENTS.playerJoin, null)).toEqual(badMessage('', 'invalid_type'));
    expect(await stranger.call(EVENTS.playerJoin, [session.code, 'Eve'])).toEqual(badMessage('', 'invalid_type'));
    // NaN and Infinity travel as null in JSON: still a wrong type.
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: NaN } })).toEqual(badMessage('decision.time', 'invalid_type'));
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: Infinity } })).toEqual(badMessage('decision.time', 'invalid_type'));
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: 6.5 } })).toEqual(badMessage('decision.time', 'invalid_type'));
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: 24 } })).toEqual(badMessage('decision.time', 'too_big'));
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: '6' } })).toEqual(badMessage('decision.time', 'invalid_type'));
    expect(await act(a, { type: 'teleport' })).toEqual(badMessage('type', 'invalid_union'));
    expect(await act(a, undefined)).toMatchObject({ ok: false, error: { rule: ERRORS.badMessage } });
    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings: { ...settings, captureRate: NaN } })).toEqual(
      badMessage('settings.captureRate', 'invalid_type'),
    );
    expect(
      await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings: { ...settings, delayMinMs: 5000, delayMaxMs: 1000 } }),
    ).toEqual(badMessage('settings', 'custom'));
    expect(await host.call(EVENTS.hostCommand, { type: 'setSeat', table: '../T1', seat: 'A', occupant: null })).toEqual(badMessage('table', 'invalid_format'));
    // A number that large is refused before it reaches the rules.
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'ack', of: 1e300 } })).toEqual(badMessage('payload.of', 'too_big'));

    // Nothing of this reached the log; the sender is still connected and still plays.
    expect(stranger.socket.connected).toBe(true);
    expect(await act(a, propose)).toEqual({ ok: true });
    expect(b.errors).toEqual([]);
    untouched();
    await stillPlays();
  });

  it('extra keys, __proto__ among them, are refused and pollute nothing', async () => {
    const { session, a, untouched } = await classroom();
    const stranger = track(new Client(server.url));
    expect(await stranger.call(EVENTS.playerJoin, { code: session.code, name: 'Eve', admin: true })).toEqual(badMessage('', 'unrecognized_keys'));
    // An own "__proto__" key, as JSON.parse makes it: what a hostile client would send.
    const proto = JSON.parse(`{"code":"${session.code}","name":"Eve","__proto__":{"polluted":"yes"}}`) as object;
    expect(Object.keys(proto)).toContain('__proto__');
    expect(await stranger.call(EVENTS.playerJoin, proto)).toEqual(badMessage('', 'unrecognized_keys'));
    const deep = JSON.parse('{"type":"commit","decision":{"type":"hold","__proto__":{"polluted":"yes"}}}') as object;
    expect(await act(a, deep)).toEqual(badMessage('decision', 'unrecognized_keys'));
    const constructor = JSON.parse('{"action":{"type":"commit","decision":{"type":"hold"}},"constructor":{"prototype":{"polluted":"yes"}}}') as object;
    expect(await a.call(EVENTS.playerAct, constructor)).toEqual(badMessage('', 'unrecognized_keys'));
    // The server runs in this process: had anything been merged into a prototype, this would see it.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(server.valley.registry.byCode.get(session.code)!.state.playerOrder).toHaveLength(2);
    // Eve may still join properly.
    expect(await stranger.call(EVENTS.playerJoin, { code: session.code, name: 'Eve' })).toMatchObject({ ok: true, playerId: 'P3' });
    untouched();
  });

  it('a message without an acknowledgement callback, or with extra arguments, is refused', async () => {
    const { session, untouched } = await classroom();
    const c = track(new Client(server.url));
    await c.connected();
    c.socket.emit(EVENTS.playerJoin, { code: session.code, name: 'Eve' });
    await c.until(() => c.errors.length === 1);
    expect(c.errors).toEqual([{ rule: ERRORS.badMessage, evidence: { event: EVENTS.playerJoin } }]);
    const r = await c.socket.timeout(5000).emitWithAck(EVENTS.playerJoin, { code: session.code, name: 'Eve' }, 'extra');
    expect(r).toEqual(refused(ERRORS.badMessage));
    // Neither joined anyone.
    expect(server.valley.registry.byCode.get(session.code)!.state.playerOrder).toHaveLength(2);
    untouched();
  });

  it('a megabyte string closes the socket (over 16 KiB); everyone else is still served', async () => {
    const { session, a, untouched, stillPlays } = await classroom();
    const big = track(new Client(server.url));
    await big.connected();
    const reasons: string[] = [];
    big.socket.on('disconnect', (reason) => reasons.push(reason));
    const reply = big.socket.emitWithAck(EVENTS.playerJoin, { code: session.code, name: 'x'.repeat(1 << 20) });
    await expect(reply).rejects.toThrow('socket has been disconnected');
    expect(reasons).toEqual(['transport close']);
    // Just under the transport's limit, the message arrives and is refused by its schema.
    const almost = track(new Client(server.url));
    expect(await almost.call(EVENTS.playerJoin, { code: session.code, name: 'x'.repeat(15_000) })).toEqual(badMessage('name', 'too_big'));
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'note', text: 'y'.repeat(15_000) } })).toEqual(badMessage('payload.text', 'too_big'));
    expect(almost.socket.connected).toBe(true);
    expect(server.valley.registry.byCode.get(session.code)!.state.playerOrder).toHaveLength(2);
    untouched();
    await stillPlays();
  });

  it('over long-polling (a school proxy that blocks WebSockets) a student plays, and a megabyte string is refused the same way', async () => {
    const { session, host, untouched } = await classroom();
    const poll = track(
      await (async () => {
        const c = new Client(server.url, { transports: ['polling'] });
        const r = await c.call<{ token: string; playerId: string }>(EVENTS.playerJoin, { code: session.code, name: 'Polly' });
        expect(r).toMatchObject({ ok: true, playerId: 'P3' });
        return c;
      })(),
    );
    expect(poll.socket.io.engine.transport.name).toBe('polling');
    await host.until(() => host.hostView!.players.some((p) => p.name === 'Polly'));
    const reasons: string[] = [];
    poll.socket.on('disconnect', (reason) => reasons.push(reason));
    await expect(poll.socket.emitWithAck(EVENTS.playerAct, { action: { type: 'note', text: 'x'.repeat(1 << 20) } })).rejects.toThrow(
      'socket has been disconnected',
    );
    expect(reasons).toEqual(['transport error']);
    // The HTTP API beside the realtime endpoint still answers.
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, sessions: 2, broken: 0 });
    untouched();
  });
});

describe('events and who may send them', () => {
  it('an unknown event name is refused, with or without an acknowledgement', async () => {
    const { a, stillPlays } = await classroom();
    expect(await a.call('admin:shutdown', {})).toEqual(refused(ERRORS.unknownEvent));
    // The server's own event names are not requests.
    expect(await a.call(EVENTS.playerView, {})).toEqual(refused(ERRORS.unknownEvent));
    expect(await a.call(EVENTS.hostView, {})).toEqual(refused(ERRORS.unknownEvent));
    a.socket.emit('__proto__', {});
    a.socket.emit('x'.repeat(500));
    await a.until(() => a.errors.length === 2);
    // The event name comes back cut short: never a whole blob of the sender's.
    expect(a.errors).toEqual([
      { rule: ERRORS.unknownEvent, evidence: { event: '__proto__' } },
      { rule: ERRORS.unknownEvent, evidence: { event: 'x'.repeat(40) } },
    ]);
    expect(await act(a, propose)).toEqual({ ok: true });
    await stillPlays();
  });

  it('the sender of an action is the connection\u2019s seat: there is no way to name another seat', async () => {
    const { session, a, b, host, live, untouched } = await classroom();
    const state = () => live(session).state.tables.T1!.game!.state as tg.State;
    // Naming a seat anywhere in the message is an unknown key.
    expect(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'hold' } }, seat: 'B' })).toEqual(badMessage('', 'unrecognized_keys'));
    expect(await act(a, { type: 'commit', decision: { type: 'hold' }, seat: 'B' })).toEqual(badMessage('', 'unrecognized_keys'));
    expect(await act(a, { type: 'commit', decision: { type: 'hold' }, from: 'B' })).toEqual(badMessage('', 'unrecognized_keys'));
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6, from: 'B' } })).toEqual(badMessage('payload', 'unrecognized_keys'));
    expect(await a.call(EVENTS.playerAct, { action: note, playerId: b.playerId })).toEqual(badMessage('', 'unrecognized_keys'));
    expect(state().messengers).toEqual([]);
    expect(state().decisions).toEqual({ A: null, B: null });

    // What A does is A's: a proposal leaves from A, a commitment is A's.
    expect(await act(a, propose)).toEqual({ ok: true });
    expect(state().messengers.map((m) => [m.from, m.to])).toEqual([['A', 'B']]);
    expect(await act(a, { type: 'commit', decision: { type: 'hold' } })).toEqual({ ok: true });
    expect(state().decisions.A).toMatchObject({ type: 'hold' });
    expect(state().decisions.B).toBeNull();
    // A cannot do what only B could: acknowledge the messenger that went to B.
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } })).toEqual(refused(tg.TG_RULES.ackUnknown, { n: 1 }));

    // A host connection is no seat, nor is a student without a table, nor a stranger.
    expect(await act(host, note)).toEqual(refused(ERRORS.notJoined));
    const stranger = track(new Client(server.url));
    expect(await act(stranger, note)).toEqual(refused(ERRORS.notJoined));
    const late = track(await playerClient(server.url, session.code, 'Late'));
    expect(await act(late, note)).toEqual(refused(ERRORS.notSeated));
    // Seated at a table whose game has not started.
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: true, scenario: 'two-generals' })).toMatchObject({ ok: true });
    await late.until(() => late.view?.seat?.table === 'T2');
    expect(await act(late, note)).toEqual(refused(ERRORS.noGame));
    // Once joined, a socket cannot join or resume again as someone else.
    expect(await a.call(EVENTS.playerJoin, { code: session.code, name: 'Ada2' })).toEqual(refused(ERRORS.badMessage, { problem: 'already-joined' }));
    expect(await a.call(EVENTS.playerResume, { code: session.code, token: b.token })).toEqual(refused(ERRORS.badMessage, { problem: 'already-joined' }));
    expect(b.errors).toEqual([]);
    untouched();
  });

  it('a decision after the deadline is refused: the game ended at the deadline', async () => {
    const { a, b, second } = await classroom();
    expect(await act(a, propose)).toEqual({ ok: true });
    await server.clock.advance(60_000);
    await a.until(() => gameView(a)!.status === 'ended');
    expect(gameView(a)!.debrief).toMatchObject({ outcome: 'noBattle', reason: 'deadline', decisions: { A: { type: 'hold', byDeadline: true } } });
    expect(await act(a, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual(refused(tg.TG_RULES.notRunning, { status: 'ended' }));
    expect(await act(b, note)).toEqual(refused(tg.TG_RULES.notRunning, { status: 'ended' }));
    // The second session's game ended at its deadline too (same clock), but was otherwise left alone.
    await second.a.until(() => gameView(second.a)!.status === 'ended');
    expect(second.a.errors).toEqual([]);
  });

  it('a decision that arrives after the deadline but before the deadline\u2019s timer has fired is refused by the rules', async () => {
    // The wall clock runs ahead of the timers, as when the event loop is busy at the deadline.
    class LaggingClock extends ManualClock {
      ahead = 0;
      override now() {
        return super.now() + this.ahead;
      }
    }
    const clock = new LaggingClock();
    const { a, live, session } = await classroom({ clock });
    clock.ahead = 60_250;
    expect(await act(a, { type: 'commit', decision: { type: 'hold' } })).toEqual(refused(tg.TG_RULES.afterDeadline, { late: 250 }));
    expect((live(session).state.tables.T1!.game!.state as tg.State).decisions.A).toBeNull();
    clock.ahead = 0;
    await clock.advance(60_000);
    await a.until(() => gameView(a)!.status === 'ended');
    expect(gameView(a)!.debrief!.decisions.A).toMatchObject({ type: 'hold', byDeadline: true });
  });
});

describe('joining', () => {
  it('a wrong join code is refused the same way whatever it is', async () => {
    const { session, untouched } = await classroom();
    const c = track(new Client(server.url));
    const wrong = session.code === 'ZZZZZ' ? 'YYYYY' : 'ZZZZZ';
    expect(await c.call(EVENTS.playerJoin, { code: wrong, name: 'Eve' })).toEqual(refused(ERRORS.unknownCode));
    expect(await c.call(EVENTS.playerJoin, { code: '!!!', name: 'Eve' })).toEqual(refused(ERRORS.unknownCode));
    // A resume with a wrong code is a wrong key, like a wrong token: it never tells a live code from a guess.
    expect(await c.call(EVENTS.playerResume, { code: wrong, token: 'x'.repeat(32) })).toEqual(refused(ERRORS.badToken));
    // The right code, typed loosely, works.
    const loose = `${session.code.slice(0, 2).toLowerCase()}-${session.code.slice(2)}`;
    expect(await c.call(EVENTS.playerJoin, { code: loose, name: 'Eve' })).toMatchObject({ ok: true, playerId: 'P3' });
    // So does the code typed in full-width characters, as a Chinese keyboard may.
    const wide = [...session.code].map((ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0)).join('');
    const wen = track(new Client(server.url));
    expect(await wen.call(EVENTS.playerJoin, { code: wide, name: 'Wen' })).toMatchObject({ ok: true, playerId: 'P4' });
    untouched();
  });

  it('guessing codes is bounded: after 30 attempts a socket gets no more answers about codes', async () => {
    const { session, untouched } = await classroom();
    const c = track(new Client(server.url));
    const wrong = session.code === 'ZZZZZ' ? 'YYYYY' : 'ZZZZZ';
    for (let i = 0; i < 30; i++) expect(await c.call(EVENTS.playerJoin, { code: wrong, name: 'Eve' })).toEqual(refused(ERRORS.unknownCode));
    // Even the right code is no longer looked up for this socket.
    expect(await c.call(EVENTS.playerJoin, { code: session.code, name: 'Eve' })).toEqual(refused(ERRORS.tooManyAttempts));
    // A fresh connection is not affected.
    const d = track(new Client(server.url));
    expect(await d.call(EVENTS.playerJoin, { code: session.code, name: 'Eve' })).toMatchObject({ ok: true });
    untouched();
  });

  it('a name already taken in the session (up to case and width) is refused; another session may use it', async () => {
    const { session, second, host } = await classroom();
    const c = track(new Client(server.url));
    expect(await c.call(EVENTS.playerJoin, { code: session.code, name: 'ADA' })).toEqual(refused('name/taken', { name: 'ADA' }));
    expect(await c.call(EVENTS.playerJoin, { code: session.code, name: ' ａｄａ ' })).toEqual(refused('name/taken', { name: 'ａｄａ' }));
    expect(await c.call(EVENTS.playerJoin, { code: session.code, name: 'A\u200Bda' })).toEqual(refused('name/invisible', { max: 24 }));
    expect(await c.call(EVENTS.playerJoin, { code: session.code, name: 'x'.repeat(25) })).toEqual(refused('name/too-long', { max: 24 }));
    expect(host.hostView!.players.map((p) => p.name)).toEqual(['Ada', 'Bo']);
    // Ada is a name of the first session only.
    expect(await c.call(EVENTS.playerJoin, { code: second.session.code, name: 'Ada' })).toMatchObject({ ok: true, playerId: 'P3' });
  });
});

describe('the host', () => {
  it('a host command from a connection that never attached as host is refused', async () => {
    const { a, live, session, untouched } = await classroom();
    const stranger = track(new Client(server.url));
    const before = live(session).state;
    expect(await stranger.call(EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'end' } })).toEqual(refused(ERRORS.notHost));
    expect(await a.call(EVENTS.hostCommand, { type: 'removePlayer', playerId: 'P2' })).toEqual(refused(ERRORS.notHost));
    expect(await a.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings: { ...settings, captureRate: 1 } })).toEqual(
      refused(ERRORS.notHost),
    );
    expect(live(session).state).toBe(before);
    untouched();
  });

  it('a wrong host token, another session\u2019s token or an unknown session is refused', async () => {
    const { session, second, untouched } = await classroom();
    const c = track(new Client(server.url));
    expect(await c.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: 'A'.repeat(32) })).toEqual(refused(ERRORS.badToken));
    expect(await c.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: second.session.hostToken })).toEqual(refused(ERRORS.badToken));
    expect(await c.call(EVENTS.hostAttach, { sessionId: 'no-such-session', hostToken: session.hostToken })).toEqual(refused(ERRORS.badToken));
    expect(await c.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: 'short' })).toEqual(badMessage('hostToken', 'too_small'));
    // Still not a host.
    expect(await c.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual(refused(ERRORS.notHost));
    expect(c.hostView).toBeNull();
    untouched();
  });

  it('a host steers their own session only', async () => {
    const { host, live, session, second } = await classroom();
    expect(await host.call(EVENTS.hostCommand, { type: 'controlGame', table: 'T1', control: { type: 'end' } })).toEqual({ ok: true });
    expect((live(session).state.tables.T1!.game!.state as tg.State).status).toBe('ended');
    expect((live(second.session).state.tables.T1!.game!.state as tg.State).status).toBe('running');
    // P1 of the first session is Ada; the second session's P1 is untouched.
    expect(await host.call(EVENTS.hostCommand, { type: 'removePlayer', playerId: 'P1' })).toEqual({ ok: true });
    expect(live(session).state.players.P1!.removed).toBe(true);
    expect(live(second.session).state.players.P1!.removed).toBe(false);
    expect(second.host.hostView!.players.map((p) => p.name)).toEqual(['Cy', 'Di']);
  });

  it('a removed student gets player:removed and is disconnected; their token no longer resumes', async () => {
    const { session, host, a, b, untouched } = await classroom();
    const reasons: string[] = [];
    b.socket.on('disconnect', (reason) => reasons.push(reason));
    expect(await host.call(EVENTS.hostCommand, { type: 'removePlayer', playerId: b.playerId })).toEqual({ ok: true });
    await b.until(() => b.removed && !b.socket.connected);
    expect(reasons).toEqual(['io server disconnect']);
    expect(a.removed).toBe(false);
    await a.until(() => a.view!.tablemates.B === '');
    const again = track(new Client(server.url));
    // Their own key says they were removed (a student whose laptop was closed learns it on return);
    // it opens nothing, and any other key is simply bad.
    expect(await again.call(EVENTS.playerResume, { code: session.code, token: b.token })).toEqual(refused(ERRORS.removed));
    expect(await again.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'hold' } } })).toEqual(refused(ERRORS.notJoined));
    expect(await again.call(EVENTS.playerResume, { code: session.code, token: 'B'.repeat(32) })).toEqual(refused(ERRORS.badToken));
    // Ada's token still resumes, into her seat.
    const ada2 = track(new Client(server.url));
    expect(await ada2.call(EVENTS.playerResume, { code: session.code, token: a.token })).toMatchObject({
      ok: true,
      playerId: a.playerId,
      view: { seat: { table: 'T1', seat: 'A' } },
    });
    untouched();
  });
});

describe('connections', () => {
  it('a foreign Origin is refused at the handshake, over WebSocket and long-polling; the server\u2019s own is allowed', async () => {
    const { untouched } = await classroom();
    for (const transports of [['websocket'], ['polling']]) {
      const evil = track(new Client(server.url, { transports, extraHeaders: { origin: 'http://evil.example' } }));
      await expect(evil.connected()).rejects.toThrow(transports[0] === 'websocket' ? 'websocket error' : 'xhr poll error');
      expect(evil.socket.connected).toBe(false);
    }
    const raw = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
    expect(raw.status).toBe(403);
    const own = track(new Client(server.url, { extraHeaders: { origin: server.url } }));
    await own.connected();
    expect(own.socket.connected).toBe(true);
    untouched();
  });

  it('an origin on the allowed list may connect', async () => {
    server = await startServer({ allowedOrigins: ['http://localhost:5173'] });
    const dev = track(new Client(server.url, { extraHeaders: { origin: 'http://localhost:5173' } }));
    await dev.connected();
    expect(dev.socket.connected).toBe(true);
    const evil = track(new Client(server.url, { extraHeaders: { origin: 'http://localhost:5174' } }));
    await expect(evil.connected()).rejects.toThrow('websocket error');
  });

  it('a connection that never joins or attaches is closed after the time-out', async () => {
    server = await startServer({ limits: { authTimeoutMs: 100 } });
    const session = await createSession(server.url);
    const idle = track(new Client(server.url));
    await idle.connected();
    const reasons: string[] = [];
    idle.socket.on('disconnect', (reason) => reasons.push(reason));
    const joined = track(await playerClient(server.url, session.code, 'Ada'));
    await idle.until(() => !idle.socket.connected, 3000);
    expect(reasons).toEqual(['io server disconnect']);
    expect(joined.socket.connected).toBe(true);
  });

  it('a socket sending far above 20 messages a second is rate-limited, then disconnected; others keep playing', async () => {
    const { session, a, b, live, untouched, stillPlays } = await classroom();
    const replies: Reply[] = [];
    const reasons: string[] = [];
    a.socket.on('disconnect', (reason) => reasons.push(reason));
    for (let i = 0; i < 400; i++) a.socket.emit(EVENTS.playerAct, { action: note }, (r: Reply) => replies.push(r));
    await a.until(() => !a.socket.connected);
    expect(reasons).toEqual(['io server disconnect']);
    const limited = replies.filter((r) => !r.ok && r.error.rule === ERRORS.rateLimited);
    const accepted = replies.filter((r) => r.ok);
    // At most the burst (40) gets past the limiter; everything after it is refused: 200 refusals (the
    // default strikes) are answered, and the next one closes the socket. Messages that passed the limiter
    // but were not handled yet when the socket closed are dropped with it, and their answers are lost.
    expect(limited.length).toBe(200);
    expect(limited[0]).toEqual(refused(ERRORS.rateLimited));
    expect(accepted.length + limited.length).toBe(replies.length);
    await server.valley.idle();
    const sent = (live(session).state.tables.T1!.game!.state as tg.State).messengers.filter((m) => m.from === 'A').length;
    expect(sent).toBeGreaterThanOrEqual(accepted.length);
    expect(sent).toBeLessThanOrEqual(45);
    // Bo, at the same table, was not limited, and the second session never noticed.
    expect(await act(b, note)).toEqual({ ok: true });
    expect(b.errors).toEqual([]);
    untouched();
    await stillPlays();
    // It was a disconnection, not a ban: Ada comes back into her seat.
    const back = track(new Client(server.url));
    expect(await back.call(EVENTS.playerResume, { code: session.code, token: a.token })).toMatchObject({ ok: true, view: { seat: { seat: 'A' } } });
    expect(await act(back, note)).toEqual({ ok: true });
  });
});

describe('the log download', () => {
  it('refuses without the host token as a Bearer header, and sends the log with it', async () => {
    const { session, second, live } = await classroom();
    const url = `${server.url}/api/sessions/${session.sessionId}/log`;
    const get = (headers: Record<string, string> = {}, u = url) => fetch(u, { headers });
    const forbidden = { error: { rule: ERRORS.badToken, evidence: {} } };
    const wrong: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${'A'.repeat(32)}` },
      { authorization: `Bearer ${second.session.hostToken}` },
      { authorization: session.hostToken },
      { authorization: `Basic ${session.hostToken}` },
      { authorization: `Bearer ${session.hostToken} x` },
    ];
    for (const headers of wrong) {
      const r = await get(headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(await r.json()).toEqual(forbidden);
    }
    // The token in the URL does not count.
    expect((await get({}, `${url}?token=${session.hostToken}`)).status).toBe(403);
    // An unknown or malformed session id gets the same answer.
    expect((await get({ authorization: `Bearer ${session.hostToken}` }, `${server.url}/api/sessions/nosuchsession/log`)).status).toBe(403);
    expect((await get({ authorization: `Bearer ${session.hostToken}` }, `${server.url}/api/sessions/..%2F..%2Fetc%2Fpasswd/log`)).status).toBe(403);

    const ok = await get({ authorization: `Bearer ${session.hostToken}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/x-ndjson');
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename=valley-${session.code}.ndjson`);
    const text = await ok.text();
    expect(text).not.toContain(session.hostToken);
    const parsed = parseLog(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.state).toEqual(live(session).state);
    expect(parsed.header.sessionId).toBe(session.sessionId);
  });

  it('gives the anonymised log to any spelling of the anonymous parameter, and the named log only without one', async () => {
    const { session, a, b } = await classroom();
    const secret = 'meet Ada at the old mill';
    expect(await act(a, { type: 'sendMessenger', payload: { type: 'note', text: secret } })).toEqual({ ok: true });
    expect(await act(b, note)).toEqual({ ok: true });
    const url = `${server.url}/api/sessions/${session.sessionId}/log`;
    const get = (query: string) => fetch(`${url}${query}`, { headers: { authorization: `Bearer ${session.hostToken}` } });

    for (const query of ['', '?', '?x=1', '?nonymous=1']) {
      const r = await get(query);
      expect(r.status, query).toBe(200);
      expect(r.headers.get('content-disposition'), query).toBe(`attachment; filename=valley-${session.code}.ndjson`);
      const text = await r.text();
      expect(text, query).toContain('"name":"Ada"');
      expect(text, query).toContain(secret);
    }

    const spellings = [
      '?anonymous=1',
      '?anonymous=1&anonymous=1',
      '?anonymous=1&anonymous=0',
      '?anonymous[]=1',
      '?anonymous%5B%5D=1',
      '?anonymous[x]=1',
      '?anonymous=true',
      '?anonymous=yes',
      '?anonymous=0',
      '?anonymous=',
      '?anonymous',
      '?Anonymous=1',
      '?ANONYMOUS=1',
      '?%61nonymous=1',
      '?anonymised=1',
      '?x=1&anonymous=1',
      '?x=1;anonymous=1',
    ];
    for (const query of spellings) {
      const r = await get(query);
      expect(r.status, query).toBe(200);
      expect(r.headers.get('content-disposition'), query).toBe(`attachment; filename=valley-${session.code}-anonymous.ndjson`);
      const text = await r.text();
      for (const named of ['Ada', '"name":"Bo"', 'mill', 'hello']) expect(text, `${query}: ${named}`).not.toContain(named);
      const parsed = parseLog(text);
      if (!parsed.ok) throw new Error(`${query}: unparsable`);
      expect(
        Object.values(parsed.state.players).map((p) => p.name),
        query,
      ).toEqual(['T1 A', 'T1 B']);
      const payloads = (parsed.state.tables.T1!.game!.state as tg.State).messengers.map((m) => m.payload);
      expect(payloads, query).toEqual([
        { type: 'note', text: 'note 1' },
        { type: 'note', text: 'note 2' },
      ]);
    }
  });
});
