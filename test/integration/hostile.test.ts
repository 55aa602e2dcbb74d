// The hostile-input suite over the real server: frames no socket.io client would send, schema
// violations in Paxos actions, join-code guessing from one address, a flood of idle connections, path
// tricks in ids, and names that are markup. Each gets a clear answer or a closed connection, never a
// crash, and everyone else's game goes on.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLog, px, tg, type SessionState } from '@valley/shared';
import { ERRORS, EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer, type TestServer } from '../support/server.ts';
import { RawSocket, playWholeGame } from '../support/hostile.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer | undefined;
const clients: Client[] = [];
const raws: RawSocket[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(async () => {
  await replayThenClose([server], [...clients.splice(0), ...raws.splice(0)]);
  server = undefined;
});

const track = <T extends Client>(c: T): T => (clients.push(c), c);
async function raw(opts: Parameters<typeof RawSocket.open>[1] = {}): Promise<RawSocket> {
  const r = await RawSocket.open(server!.url, opts);
  if (!r) throw new Error('handshake refused');
  raws.push(r);
  return r;
}
const refused = (rule: string, evidence: Record<string, string | number> = {}) => ({ ok: false, error: { rule, evidence } });
const badMessage = (path: string, problem: string) => refused(ERRORS.badMessage, { path, problem });
const tgView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const tgSettings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();

/**
 * A session with one Two Generals table whose game runs: the bystanders, who must notice nothing
 * of what the test throws at the server.
 */
async function bystanders(names: [string, string] = ['Cy', 'Di']) {
  const s = server!;
  const session = await createSession(s.url);
  const host = track(await hostClient(s.url, session));
  const a = track(await playerClient(s.url, session.code, names[0]));
  const b = track(await playerClient(s.url, session.code, names[1]));
  expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings: tgSettings })).toEqual({ ok: true });
  expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
  expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
  await a.until(() => tgView(a)?.status === 'running');
  await b.until(() => tgView(b)?.status === 'running');
  const live = () => s.valley.registry.byId.get(session.sessionId)!;
  const before: SessionState = live().state;
  return {
    session,
    /** Nothing happened to them: no event in their session, no error, still connected. */
    untouched() {
      expect(live().state).toBe(before);
      for (const c of [host, a, b]) {
        expect(c.errors).toEqual([]);
        expect(c.socket.connected).toBe(true);
      }
    },
    /** They play their game to victory. */
    async play() {
      const act = (c: Client, action: tg.Action) => c.call(EVENTS.playerAct, { action });
      expect(await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
      await s.clock.advance(1000);
      await b.until(() => tgView(b)!.received.length === 1);
      expect(await act(b, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } })).toEqual({ ok: true });
      expect(await act(b, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
      await s.clock.advance(1000);
      await a.until(() => tgView(a)!.received.length === 1);
      expect(await act(a, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
      await a.until(() => tgView(a)!.status === 'ended');
      expect(tgView(a)!.debrief!.outcome).toBe('victory');
    },
  };
}

describe('malformed socket.io packets, sent as raw WebSocket frames', () => {
  it('frames that are not socket.io close that connection only; the server answers the rest', async () => {
    server = await startServer();
    const others = await bystanders();
    const protoBefore = prototypeKeys();

    // Each of these is a protocol violation: the server drops the connection that sent it.
    const closing: string[] = [
      '42["player:act"', // cut-off JSON
      '42{}', // an event that is not an array
      '42"player:join"',
      '42[{"a":1},{}]', // an event name that is an object
      '42[]', // no event name
      '42["connect",{}]', // a reserved name
      '42["disconnect"]',
      '49[]', // no such packet type
      '44{"message":"x"}', // a client sending a connection error
      '40', // connecting twice to the namespace
      '42/admin,["player:join",{}]', // a namespace it never joined
      'x', // not even engine.io
      '', // an empty frame
      '4', // an engine.io message with no socket.io packet in it
      '421' + '['.repeat(15_000), // deep, unterminated
    ];
    for (const frame of closing) {
      const r = await raw();
      r.send(frame);
      expect(await r.untilClosed(), frame.slice(0, 40)).toBe(1005);
      // Closed with nothing said after the handshake's two frames: nothing of what it could not read is echoed.
      expect(r.frames.slice(2), frame.slice(0, 40)).toEqual([]);
    }

    // Well-formed packets carrying nonsense are answered, and the connection stays.
    const r = await raw();
    r.emit(['__proto__', {}], 1);
    expect(await r.answer(1)).toEqual(refused(ERRORS.unknownEvent));
    r.emit(['constructor', {}], 2);
    expect(await r.answer(2)).toEqual(refused(ERRORS.unknownEvent));
    r.emit([1, {}], 3); // socket.io allows a number as an event name
    expect(await r.answer(3)).toEqual(refused(ERRORS.unknownEvent));
    r.send('42["hasOwnProperty"]');
    r.send('42');
    r.emit(['player:join', '['.repeat(5000) + ']'.repeat(5000)], 4);
    expect(await r.answer(4)).toEqual(badMessage('', 'invalid_type'));
    // Deep nesting (JSON.parse copes; a schema stops at the first level).
    r.send(`425["player:join",${'['.repeat(7000)}${']'.repeat(7000)}]`);
    expect(await r.answer(5)).toEqual(badMessage('', 'invalid_type'));
    // An acknowledgement for something the server never asked.
    r.send('43[]');
    r.send('4399[{"ok":true}]');
    r.emit([EVENTS.playerJoin, { code: others.session.code }], 6);
    expect(await r.answer(6)).toEqual(badMessage('name', 'invalid_type'));
    const told = r.events();
    expect(told).toEqual([
      ['valley:error', { rule: ERRORS.unknownEvent, evidence: { event: 'hasOwnProperty' } }],
      ['valley:error', { rule: ERRORS.unknownEvent, evidence: { event: 'undefined' } }],
    ]);
    expect(r.closed).toBe(false);

    // A frame over the 16 KiB cap closes the connection at the transport (1009: message too big).
    const big = await raw();
    big.send(`421${JSON.stringify([EVENTS.playerJoin, { code: 'ABCDE', name: 'x'.repeat(20_000) }])}`);
    expect(await big.untilClosed()).toBe(1009);

    expect(prototypeKeys()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, sessions: 1, broken: 0 });
    others.untouched();
    await others.play();
  });

  it('placeholder tricks: a placeholder without its attachment, out of range or in a text frame, is refused; nothing is polluted', async () => {
    server = await startServer();
    const others = await bystanders();
    const protoBefore = prototypeKeys();
    const bytes = Buffer.from([1, 2, 3]);

    // A placeholder in a plain text event is just an object: the schema refuses it.
    const r = await raw();
    r.emit([EVENTS.playerJoin, { _placeholder: true, num: 0 }], 1);
    expect(await r.answer(1)).toEqual(badMessage('code', 'invalid_type'));
    r.emit([EVENTS.playerJoin, { code: { _placeholder: true, num: 0 }, name: 'Eve' }], 2);
    expect(await r.answer(2)).toEqual(badMessage('code', 'invalid_type'));
    // A binary event whose attachment lands where a string belongs: refused by the schema.
    r.send(`451-3["${EVENTS.playerJoin}",{"code":{"_placeholder":true,"num":0},"name":"Eve"}]`);
    r.send(bytes);
    expect(await r.answer(3)).toEqual(badMessage('code', 'invalid_type'));
    // The attachment as the whole message: bytes are no object with a code and a name.
    r.send(`451-4["${EVENTS.playerJoin}",{"_placeholder":true,"num":0}]`);
    r.send(bytes);
    expect(await r.answer(4)).toEqual(badMessage('code', 'invalid_type'));
    // An attachment under "__proto__": it becomes that object's prototype, and nothing else's.
    r.send(`451-5["${EVENTS.playerJoin}",{"__proto__":{"_placeholder":true,"num":0},"code":"ABCDE"}]`);
    r.send(bytes);
    expect(await r.answer(5)).toEqual(badMessage('name', 'invalid_type'));
    r.send(`451-6["${EVENTS.playerJoin}",{"__proto__":{"polluted":"yes"},"x":{"_placeholder":true,"num":0}}]`);
    r.send(bytes);
    expect(await r.answer(6)).toMatchObject({ ok: false, error: { rule: ERRORS.badMessage } });
    // A fractional index reads nothing (undefined) and the message is refused.
    r.send(`451-7["${EVENTS.playerJoin}",{"code":{"_placeholder":true,"num":0.5},"name":"Eve"}]`);
    r.send(bytes);
    expect(await r.answer(7)).toEqual(badMessage('code', 'invalid_type'));
    // The binary event without an acknowledgement is told on the side.
    r.send(`451-["${EVENTS.playerAct}",{"_placeholder":true,"num":0}]`);
    r.send(bytes);
    await r.next((f) => typeof f === 'string' && f.includes(ERRORS.badMessage) && f.startsWith('42['));
    expect(r.closed).toBe(false);

    // A placeholder pointing at an attachment that does not exist: the connection is dropped.
    for (const num of ['1', '-1', '"0"', '"__proto__"', 'null', '1e400', '{}']) {
      const bad = await raw();
      bad.send(`451-1["${EVENTS.playerJoin}",{"code":{"_placeholder":true,"num":${num}},"name":"Eve"}]`);
      bad.send(bytes);
      expect(await bad.untilClosed(), num).toBe(1005);
      expect(
        bad.frames.filter((f) => String(f).startsWith('43')),
        num,
      ).toEqual([]);
    }

    expect(prototypeKeys()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Nobody joined anything.
    for (const s of server.valley.registry.byId.values()) expect(s.state.playerOrder).toHaveLength(2);
    others.untouched();
    await others.play();
  });

  it('binary attachments: too many, none announced, or announced and never sent', async () => {
    server = await startServer({ limits: { authTimeoutMs: 2000 } });
    const others = await bystanders();

    // More attachments than socket.io's parser allows (10), a count that is no count, or a binary
    // frame nobody announced: dropped at once.
    for (const frame of [
      '4511-["player:act",{}]',
      '451000000000-["player:act",{}]',
      '450-["player:act",{}]',
      '45-["player:act",{}]',
      '45x-["player:act",{}]',
      '451.5-["player:act",{}]',
    ]) {
      const r = await raw();
      r.send(frame);
      expect(await r.untilClosed(), frame).toBe(1005);
    }
    const unannounced = await raw();
    unannounced.send(Buffer.from([1, 2, 3]));
    expect(await unannounced.untilClosed()).toBe(1005);

    // Ten attachments, each nearly at the frame cap, are the most one connection can make the
    // server hold; the eleventh frame is too big on its own.
    const ten = await raw();
    ten.send(`4510-1["${EVENTS.playerJoin}",${JSON.stringify(Array.from({ length: 10 }, (_, num) => ({ _placeholder: true, num })))}]`);
    for (let i = 0; i < 10; i++) ten.send(Buffer.alloc(16_000, i));
    expect(await ten.answer(1)).toEqual(badMessage('', 'invalid_type'));
    ten.send(Buffer.alloc(17_000));
    expect(await ten.untilClosed()).toBe(1009);

    // Five attachments announced and never sent: the server waits for them, answers nothing …
    const waiting = await raw();
    waiting.send(`455-1["${EVENTS.playerJoin}",{"code":"ABCDE","name":"Eve"}]`);
    // … a text frame in the middle of them is a violation …
    const interrupted = await raw();
    interrupted.send(`455-1["${EVENTS.playerJoin}",{"code":"ABCDE","name":"Eve"}]`);
    interrupted.send(Buffer.from([1]));
    interrupted.send('42["player:join",{}]');
    expect(await interrupted.untilClosed()).toBe(1005);
    // … and a connection that never finished is closed by the authentication time-out like any idler.
    const started = Date.now();
    expect(await waiting.untilClosed(4000)).toBe(1005);
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(waiting.frames.filter((f) => String(f).startsWith('43'))).toEqual([]);

    // A joined student who announces attachments and never sends them holds a seat, nothing more:
    // the frame after it closes the connection, and the student resumes.
    const session = others.session;
    const student = await raw();
    student.emit([EVENTS.playerJoin, { code: session.code, name: 'Eve' }], 1);
    const joined = (await student.answer(1)) as { ok: boolean; token: string };
    expect(joined).toMatchObject({ ok: true, playerId: 'P3' });
    student.send(`455-["${EVENTS.playerAct}",{"action":{"_placeholder":true,"num":4}}]`);
    student.send(Buffer.from([1]));
    student.send(`422["${EVENTS.playerAct}",{"action":{"type":"commit","decision":{"type":"hold"}}}]`);
    expect(await student.untilClosed()).toBe(1005);
    const back = track(new Client(server.url));
    expect(await back.call(EVENTS.playerResume, { code: session.code, token: joined.token })).toMatchObject({ ok: true, playerId: 'P3' });

    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, sessions: 1, broken: 0 });
    // Eve joined the bystanders' session (a roster change), but their game is as it was.
    await others.play();
  });
});

describe('Paxos actions that break the schema', () => {
  it('fractional, negative, NaN, huge or string rounds, 100 recipients, __proto__ keys, long values and wrong types are refused; the game is untouched', async () => {
    server = await startServer();
    const others = await bystanders();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const config: px.Config = { ...px.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, proposers: 1, acceptors: 3, learners: 0 };
    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'paxos', settings: config })).toEqual({ ok: true });
    const students: Client[] = [];
    for (const name of ['Pia', 'Ari', 'Bea', 'Cal']) students.push(track(await playerClient(server.url, session.code, name)));
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'paxos' })).toMatchObject({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    const view = (c: Client) => c.view?.game?.view as px.PaxosView | undefined;
    for (const c of students) await c.until(() => view(c)?.status === 'running');
    const proposer = students.find((c) => view(c)!.role === 'proposer')!;
    const acceptor = students.find((c) => view(c)!.role === 'acceptor')!;
    const live = () => server!.valley.registry.byId.get(session.sessionId)!;
    const before = live().state;
    const act = (c: Client, action: unknown) => c.call(EVENTS.playerAct, { action });
    const to = ['a1', 'a2', 'a3'];

    const cases: [unknown, unknown][] = [
      // What a student can type in the round field reaches the rules, which refuse it in words.
      [{ type: 'prepare', round: 1.5, to }, refused('paxos/bad-round', { round: 1.5 })],
      [{ type: 'prepare', round: -1, to }, refused('paxos/bad-round', { round: -1 })],
      [{ type: 'prepare', round: 0, to }, refused('paxos/bad-round', { round: 0 })],
      [{ type: 'prepare', round: -px.MAX_ROUND - 1, to }, badMessage('round', 'too_small')],
      [{ type: 'prepare', round: NaN, to }, badMessage('round', 'invalid_type')],
      [{ type: 'prepare', round: Infinity, to }, badMessage('round', 'invalid_type')],
      [{ type: 'prepare', round: 1e12, to }, badMessage('round', 'too_big')],
      [{ type: 'prepare', round: 2 ** 53 + 2, to }, badMessage('round', 'too_big')],
      [{ type: 'prepare', round: px.MAX_ROUND + 1, to }, badMessage('round', 'too_big')],
      [{ type: 'prepare', round: '2', to }, badMessage('round', 'invalid_type')],
      [{ type: 'prepare', round: [2], to }, badMessage('round', 'invalid_type')],
      [{ type: 'prepare', round: { valueOf: 2 }, to }, badMessage('round', 'invalid_type')],
      [{ type: 'prepare', round: 2, to: Array.from({ length: 100 }, (_, i) => `a${i}`) }, badMessage('to', 'too_big')],
      [{ type: 'prepare', round: 2, to: [] }, badMessage('to', 'too_small')],
      [{ type: 'prepare', round: 2, to: 'a1' }, badMessage('to', 'invalid_type')],
      [{ type: 'prepare', round: 2, to: ['__proto__'] }, badMessage('to.0', 'too_big')],
      [{ type: 'prepare', round: 2, to: ['a1', '../'] }, badMessage('to.1', 'invalid_format')],
      [{ type: 'prepare', round: 2, to: [{}] }, badMessage('to.0', 'invalid_type')],
      [JSON.parse('{"type":"prepare","round":2,"to":["a1"],"__proto__":{"round":3}}'), badMessage('', 'unrecognized_keys')],
      [JSON.parse('{"__proto__":{"type":"prepare","round":2,"to":["a1"]}}'), badMessage('type', 'invalid_union')],
      [{ type: 'prepare', round: 2, to, from: 'a1' }, badMessage('', 'unrecognized_keys')],
      [{ type: 'accept', round: 2, value: 'x'.repeat(px.VALUE_MAX * 2 + 1), to }, badMessage('value', 'too_big')],
      [{ type: 'accept', round: 2, value: 'x'.repeat(1 << 13), to }, badMessage('value', 'too_big')],
      [{ type: 'accept', round: 2, value: 42, to }, badMessage('value', 'invalid_type')],
      [{ type: 'accept', round: 2, to }, badMessage('value', 'invalid_type')],
      [{ type: 'teleport' }, badMessage('type', 'invalid_union')],
      [{ type: 42, round: 2, to }, badMessage('type', 'invalid_union')],
      [{ type: ['prepare'], round: 2, to }, badMessage('type', 'invalid_union')],
      [{ round: 2, to }, badMessage('type', 'invalid_union')],
      [[{ type: 'prepare', round: 2, to }], badMessage('', 'invalid_type')],
      ['prepare', badMessage('', 'invalid_type')],
      [null, badMessage('', 'invalid_type')],
      // A Two Generals action at a Paxos table.
      [{ type: 'commit', decision: { type: 'hold' } }, badMessage('type', 'invalid_union')],
    ];
    for (const [action, answer] of cases) expect(await act(proposer, action), JSON.stringify(action)?.slice(0, 80)).toEqual(answer);
    const acceptorCases: [unknown, unknown][] = [
      [{ type: 'promise', n: 0 }, badMessage('n', 'too_small')],
      [{ type: 'promise', n: 1.5 }, badMessage('n', 'invalid_type')],
      [{ type: 'promise', n: 1e12 }, badMessage('n', 'too_big')],
      [{ type: 'promise', n: NaN }, badMessage('n', 'invalid_type')],
      [{ type: 'acceptProposal', n: -3 }, badMessage('n', 'too_small')],
      [{ type: 'declare', value: 'x'.repeat(1000) }, badMessage('value', 'too_big')],
    ];
    for (const [action, answer] of acceptorCases) expect(await act(acceptor, action), JSON.stringify(action)).toEqual(answer);
    // Inside the schema's bounds, the rules count again: 25 characters is one too many, and an
    // invisible value is no value.
    expect(await act(proposer, { type: 'accept', round: 2, value: 'x'.repeat(px.VALUE_MAX + 1), to })).toEqual(
      refused('paxos/bad-value', { max: px.VALUE_MAX }),
    );
    expect(await act(proposer, { type: 'accept', round: 2, value: '\u202Edawn', to })).toEqual(refused('paxos/bad-value', { max: px.VALUE_MAX }));

    // None of it reached the game, nor the log; the proposer is still connected and plays on.
    expect(live().state).toBe(before);
    expect(({} as Record<string, unknown>).round).toBeUndefined();
    expect(proposer.socket.connected && acceptor.socket.connected).toBe(true);
    expect(await act(proposer, { type: 'prepare', round: 2, to })).toEqual({ ok: true });
    await server.valley.idle();
    const log = parseLog(await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8'));
    expect(log.ok && log.state).toEqual(live().state);
    expect((live().state.tables.T1!.game!.state as px.State).messengers).toHaveLength(3);
    others.untouched();
    await others.play();
  });
});

describe('guessing join codes', () => {
  it('1,000 guesses from one address over 50 sockets: every answer says the same whatever the code, then the address is throttled', async () => {
    const limit = 600;
    server = await startServer({ limits: { joinsPerAddress: limit } });
    const others = await bystanders();
    const real = others.session.code;
    const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
    const code = () => {
      for (;;) {
        const c = Array.from({ length: 5 }, () => alphabet[random() % alphabet.length]).join('');
        if (c !== real) return c;
      }
    };
    const token = () => Array.from({ length: 32 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'[random() % 64]).join('');
    type Kind = 'join-unknown' | 'join-malformed' | 'resume-unknown' | 'resume-real';
    const kinds: Kind[] = ['join-unknown', 'join-malformed', 'resume-unknown', 'resume-real'];
    const answers: { kind: Kind; answer: string }[] = [];
    const sockets = Array.from({ length: 50 }, () => track(new Client(server!.url)));
    await Promise.all(
      sockets.map(async (c, i) => {
        for (let j = 0; j < 20; j++) {
          const kind = kinds[(i + j) % kinds.length]!;
          const r =
            kind === 'join-unknown'
              ? await c.call(EVENTS.playerJoin, { code: code(), name: 'Eve' })
              : kind === 'join-malformed'
                ? await c.call(EVENTS.playerJoin, { code: `${code()}!?`, name: 'Eve' })
                : await c.call(EVENTS.playerResume, { code: kind === 'resume-real' ? real : code(), token: token() });
          answers.push({ kind, answer: JSON.stringify(r) });
        }
      }),
    );
    expect(answers).toHaveLength(1000);
    const throttled = JSON.stringify(refused(ERRORS.tooManyAttempts));
    // Exactly the allowance was answered (less the bystanders' two joins from this same address);
    // every guess after it was throttled.
    expect(answers.filter((a) => a.answer === throttled)).toHaveLength(1000 - (limit - 2));
    const answered = answers.filter((a) => a.answer !== throttled);
    const distinct = (kind: Kind[]) => [...new Set(answered.filter((a) => kind.includes(a.kind)).map((a) => a.answer))];
    // A join with a wrong code, well-formed or not, gets one answer.
    expect(distinct(['join-unknown', 'join-malformed'])).toEqual([JSON.stringify(refused(ERRORS.unknownCode))]);
    // A resume cannot tell a live session's code from a made-up one: a wrong key is a wrong key.
    expect(answered.filter((a) => a.kind === 'resume-real').length).toBeGreaterThan(50);
    expect(answered.filter((a) => a.kind === 'resume-unknown').length).toBeGreaterThan(50);
    expect(distinct(['resume-unknown', 'resume-real'])).toEqual([JSON.stringify(refused(ERRORS.badToken))]);
    // None of the guesses was let in.
    expect(server.valley.registry.byCode.get(real)!.state.playerOrder).toHaveLength(2);
    // The throttle is the address's: a fresh socket from it is refused even with the right code …
    const late = track(new Client(server.url));
    expect(await late.call(EVENTS.playerJoin, { code: real, name: 'Eve' })).toEqual(refused(ERRORS.tooManyAttempts));
    // … while another address (another school behind its own NAT) joins as usual.
    const elsewhere = track(new Client(server.url, { localAddress: '127.0.0.2' } as ConstructorParameters<typeof Client>[1]));
    expect(await elsewhere.call(EVENTS.playerJoin, { code: real, name: 'Eve' })).toMatchObject({ ok: true, playerId: 'P3' });
    // Guessing from a socket does not disturb the bystanders' game.
    await others.play();
  });
});

describe('idle connections', () => {
  /** Opens `n` raw connections at once (in batches); null where the server refused the handshake. */
  async function flood(n: number, opts: Parameters<typeof RawSocket.open>[1]) {
    const out: (RawSocket | null)[] = [];
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => RawSocket.open(server!.url, opts)));
      for (const r of batch) if (r) raws.push(r);
      out.push(...batch);
    }
    return out;
  }
  const waitUntil = async (cond: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  // Long enough that no idler is closed before the flood is over, even on a loaded machine.
  const authTimeoutMs = 4000;

  it('500 idle connections from one address: past the limit they are refused, the rest are closed by the time-out, and the class goes on', async () => {
    server = await startServer({ limits: { connectionsPerAddress: 100, authTimeoutMs } });
    const others = await bystanders(); // three connections from this address: a host and two students
    const started = Date.now();
    const idle = await flood(500, { connect: true });
    expect(Date.now() - started, 'the flood took longer than the time-out').toBeLessThan(authTimeoutMs);
    const open = idle.filter((r) => r && !r.closed);
    // 97 more fit beside the bystanders' three; the other 403 never got a connection.
    expect(open).toHaveLength(97);
    expect(idle.filter((r) => r === null)).toHaveLength(403);
    // Nothing was said to those that got in: they are simply idle.
    for (const r of open) expect(r!.events()).toEqual([]);
    // Another address is not counted with this one: a class there plays a whole game.
    await playWholeGame(server, ['Ann', 'Ben'], { localAddress: '127.0.0.2' });
    // From this address, a new connection is refused while the idlers hold it.
    expect(await RawSocket.open(server.url, { connect: false })).toBeNull();
    // The idlers never joined: the authentication time-out closes every one of them.
    await waitUntil(() => open.every((r) => r!.closed), authTimeoutMs + 4000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(authTimeoutMs);
    // The bystanders, who had joined, are still here and still playing.
    others.untouched();
    await others.play();
    // The address is free again: a class from it plays a whole game.
    await playWholeGame(server, ['Eve', 'Fay']);
  });

  it('500 connections that never even open the socket.io namespace count against the limit and are closed by the same time-out', async () => {
    server = await startServer({ limits: { connectionsPerAddress: 100, authTimeoutMs } });
    const started = Date.now();
    const idle = await flood(500, { connect: false });
    expect(Date.now() - started, 'the flood took longer than the time-out').toBeLessThan(authTimeoutMs);
    const open = idle.filter((r) => r && !r.closed);
    expect(open).toHaveLength(100);
    expect(idle.filter((r) => r === null)).toHaveLength(400);
    // Engine.io's own time-out for joining a namespace follows the authentication time-out.
    await waitUntil(() => open.every((r) => r!.closed), authTimeoutMs + 4000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(authTimeoutMs);
    await playWholeGame(server);
  });
});

describe('ids that could reach the file system', () => {
  /** GET with the path sent exactly as written (fetch would resolve "..") */
  const rawGet = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(server!.url);
      const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('path tricks in session ids are refused in host:attach and in the log download; only the server’s own log files exist', async () => {
    const root = await mkdtemp(join(tmpdir(), 'valley-paths-'));
    const dataDir = join(root, 'data');
    server = await startServer({ dataDir });
    const others = await bystanders();
    const { session } = others;
    const c = track(new Client(server.url));

    const attach = async (sessionId: string) => c.call(EVENTS.hostAttach, { sessionId, hostToken: session.hostToken });
    const formats: [string, string][] = [
      ['../../etc/passwd', 'invalid_format'],
      ['..%2F..%2Fetc%2Fpasswd', 'invalid_format'],
      ['..', 'invalid_format'],
      ['a/b', 'invalid_format'],
      ['a\\b', 'invalid_format'],
      [`${session.sessionId}/../${session.sessionId}`, 'invalid_format'],
      [`${session.sessionId}\u0000`, 'invalid_format'],
      [`${session.sessionId}.ndjson`, 'invalid_format'],
      ['ａｂｃｄｅｆｇｈ', 'invalid_format'], // full-width letters
      ['x'.repeat(65), 'too_big'],
      ['x'.repeat(10_000), 'too_big'],
      ['', 'too_small'],
    ];
    for (const [id, problem] of formats) expect(await attach(id), id.slice(0, 40)).toEqual(badMessage('sessionId', problem));
    // Well-formed ids that are no session's: the same answer as a wrong token.
    for (const id of [
      'x'.repeat(64),
      'CON',
      'nul',
      session.sessionId.toLowerCase() === session.sessionId ? session.sessionId.toUpperCase() : session.sessionId.toLowerCase(),
    ]) {
      expect(await attach(id), id).toEqual(refused(ERRORS.badToken));
    }
    expect(c.hostView).toBeNull();

    // The log download, with the session's own host token: only the exact id opens it.
    const auth = { authorization: `Bearer ${session.hostToken}` };
    const forbidden = { error: { rule: ERRORS.badToken, evidence: {} } };
    const tricks = [
      '.',
      '..',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '..%2F..',
      '..%252F..',
      'a%2Fb',
      '%2e%2e',
      '..%5C..%5Cetc',
      '%00',
      `${session.sessionId}%00`,
      `${session.sessionId}.ndjson`,
      `${session.sessionId}%2F..%2F${session.sessionId}`,
      `..%2F${session.sessionId}`,
      encodeURIComponent(`../data/${session.sessionId}`),
      'x'.repeat(5000),
    ];
    for (const id of tricks) {
      const r = await rawGet(`/api/sessions/${id}/log`, auth);
      expect(r.status, id.slice(0, 40)).toBe(403);
      expect(JSON.parse(r.body), id.slice(0, 40)).toEqual(forbidden);
    }
    // Dot segments sent as they are fall outside the route: a plain not-found, nothing read.
    for (const path of ['/api/sessions/../../../etc/passwd/log', `/api/sessions/${session.sessionId}/../../../../etc/passwd`, '/../../etc/passwd']) {
      const r = await rawGet(path, auth);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('root:');
    }
    // The exact id still works.
    const good = await rawGet(`/api/sessions/${session.sessionId}/log`, auth);
    expect(good.status).toBe(200);
    expect(good.body.split('\n')[0]).toContain(session.sessionId);

    // Creating a session takes no id from the request: whatever is sent, the server names it.
    const created = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: '../../evil', code: '../x' }),
    });
    expect(created.status).toBe(201);
    const made = (await created.json()) as { sessionId: string; code: string };
    expect(made.sessionId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(made.code).toMatch(/^[A-Z2-9]{5}$/);

    // The file system holds the server's own logs, each named by an id it made, and nothing else.
    await server.valley.idle();
    expect((await readdir(root)).sort()).toEqual(['data']);
    expect((await readdir(dataDir)).sort()).toEqual([`${session.sessionId}.ndjson`, `${made.sessionId}.ndjson`].sort());
    await others.play();

    // Files in the data folder whose names are no id of the server's are never read at start-up.
    await server.close();
    for (const name of ['x.ndjson', 'bad name.ndjson', '.ndjson', '..ndjson', 'a.b.ndjson']) await writeFile(join(dataDir, name), 'not a log\n');
    await mkdir(join(dataDir, 'sub.ndjson'));
    server = await startServer({ dataDir });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true, sessions: 2, broken: 0 });
    expect([...server.valley.registry.byId.keys()].sort()).toEqual([session.sessionId, made.sessionId].sort());
  });
});

describe('names', () => {
  it('markup in a name is text: accepted, stored and sent back exactly as typed', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const host = track(await hostClient(server.url, session));
    const names = ['<b>Bold</b>', '<img src=x onerror=a()>', '<script>x()</script>', '"><svg onload=a()>', '&lt;b&gt;', "{{7*7}}${7*7}'--"];
    const students: Client[] = [];
    for (const name of names) {
      const c = track(await playerClient(server.url, session.code, name));
      expect(c.view!.player.name).toBe(name);
      students.push(c);
    }
    await host.until(() => host.hostView!.players.length === names.length);
    expect(host.hostView!.players.map((p) => p.name)).toEqual(names);
    // Seated together, each sees the other's name as it was typed.
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: true, scenario: 'two-generals' })).toMatchObject({ ok: true });
    await students[0]!.until(() => students[0]!.view?.seat != null);
    expect(Object.values(students[0]!.view!.tablemates)).toContain(names[1]);
    // The log keeps them verbatim (JSON escapes no markup), and replays to the same names.
    await server.valley.idle();
    const text = await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8');
    for (const name of ['<b>Bold</b>', '<img src=x onerror=a()>', '<script>x()</script>']) expect(text).toContain(JSON.stringify(name));
    const parsed = parseLog(text);
    expect(parsed.ok && parsed.state.playerOrder.map((id) => parsed.state.players[id]!.name)).toEqual(names);
    // The download is an attachment of NDJSON, never a page a browser would render.
    const download = await fetch(`${server.url}/api/sessions/${session.sessionId}/log`, { headers: { authorization: `Bearer ${session.hostToken}` } });
    expect(download.headers.get('content-type')).toContain('application/x-ndjson');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('names that are empty, too long, invisible, right-to-left overrides or duplicates up to case and normalisation are refused with the reason', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    track(await playerClient(server.url, session.code, 'José'));
    const c = track(new Client(server.url));
    const join = (name: string) => c.call(EVENTS.playerJoin, { code: session.code, name });
    // The classic markup payload is longer than a name may be.
    expect(await join('<img src=x onerror=alert(1)>')).toEqual(refused('name/too-long', { max: 24 }));
    expect(await join('')).toEqual(refused('name/empty', { max: 24 }));
    expect(await join(' \t\n ')).toEqual(refused('name/empty', { max: 24 }));
    expect(await join('x'.repeat(25))).toEqual(refused('name/too-long', { max: 24 }));
    expect(await join('x'.repeat(201))).toEqual(badMessage('name', 'too_big'));
    expect(await join('\u202Eevil')).toEqual(refused('name/invisible', { max: 24 }));
    expect(await join('a\u200Fb')).toEqual(refused('name/invisible', { max: 24 }));
    expect(await join('\u2800')).toEqual(refused('name/invisible', { max: 24 }));
    expect(await join('\u3164')).toEqual(refused('name/invisible', { max: 24 }));
    // José typed with a combining accent, in capitals, or in full width is the same José.
    expect(await join('Jose\u0301')).toMatchObject({ ok: false, error: { rule: 'name/taken' } });
    expect(await join('JOSÉ')).toMatchObject({ ok: false, error: { rule: 'name/taken' } });
    expect(await join('Ｊｏｓé')).toMatchObject({ ok: false, error: { rule: 'name/taken' } });
    // Right-to-left script itself is a name like any other.
    expect(await join('سارا')).toMatchObject({ ok: true, playerId: 'P2' });
  });
});
