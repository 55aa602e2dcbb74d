// Fuzzing the running server: fast-check throws random well- and ill-formed messages at it from a
// few sockets (a host, students at a Two Generals and a Paxos table, strangers) for a bounded time.
// Every acknowledged message must be answered in the protocol's shape, nothing may crash, the log
// must still replay to the live state, and afterwards the server must serve a whole game.
// A failure prints fast-check's seed and path; FUZZ_SEED=<seed> replays the same messages.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLog, px, tg, type PlayerView } from '@valley/shared';
import { EVENTS, type Reply } from '@valley/shared/protocol';
import { Client, createSession, startServer, type TestServer } from '../support/server.ts';
import { playWholeGame } from '../support/hostile.ts';
import { replayThenClose } from '../support/replay-check.ts';

const TIME_LIMIT_MS = 8000;

let server: TestServer;
let session: { sessionId: string; code: string; hostToken: string };
/** Who each socket of the pool is, so a socket the server closed can be replaced by the same person. */
type Seat = { kind: 'host' } | { kind: 'player'; token: string; playerId: string } | { kind: 'stranger' };
const pool: { client: Client; who: Seat }[] = [];
const tokens: string[] = [];
const playerIds: string[] = [];
const stats = { sent: 0, answered: 0, ok: 0, refused: 0, dropped: 0, replaced: 0, ticks: 0, runs: 0 };
const rules = new Map<string, number>();

async function attach(who: Seat): Promise<Client> {
  const c = new Client(server.url);
  if (who.kind === 'host') {
    const r = await c.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken });
    expect(r).toMatchObject({ ok: true });
  } else if (who.kind === 'player') {
    // A removed student's token no longer opens anything: they come back as a stranger.
    await c.call(EVENTS.playerResume, { code: session.code, token: who.token });
  } else {
    await c.connected();
  }
  return c;
}

beforeAll(async () => {
  // The per-socket rate and join limits are tested elsewhere; here they are lifted so that the
  // messages reach the handlers and the rules instead of bouncing off the limiter.
  server = await startServer({ limits: { socketRate: 1e6, socketBurst: 1e6, joinsPerSocket: 1e6, joinsPerAddress: 1e6 } });
  session = await createSession(server.url);
  const host = await attach({ kind: 'host' });
  pool.push({ client: host, who: { kind: 'host' } });
  const cmd = async (c: unknown) => expect(await host.call(EVENTS.hostCommand, c)).toMatchObject({ ok: true });
  await cmd({ type: 'setSettings', scenario: 'two-generals', settings: { ...tg.defaultConfig, captureRate: 0.2, delayMinMs: 500, delayMaxMs: 1500 } });
  await cmd({
    type: 'setSettings',
    scenario: 'paxos',
    settings: { ...px.defaultConfig, captureRate: 0.2, delayMinMs: 500, delayMaxMs: 1500, proposers: 1, acceptors: 3, learners: 0 },
  });
  const join = async (name: string) => {
    const c = new Client(server.url);
    const r = await c.call<{ token: string; playerId: string; view: PlayerView }>(EVENTS.playerJoin, { code: session.code, name });
    if (!r.ok) throw new Error(JSON.stringify(r));
    tokens.push(r.token);
    playerIds.push(r.playerId);
    pool.push({ client: c, who: { kind: 'player', token: r.token, playerId: r.playerId } });
  };
  for (const name of ['Ada', 'Bo']) await join(name);
  await cmd({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
  for (const name of ['Pia', 'Ari', 'Bea', 'Cal']) await join(name);
  await cmd({ type: 'autoSeat', bots: false, scenario: 'paxos' });
  await cmd({ type: 'startGames', table: null });
  for (let i = 0; i < 2; i++) pool.push({ client: await attach({ kind: 'stranger' }), who: { kind: 'stranger' } });
});

// Every game the fuzzing started replays from the log to the live state; then all closes.
afterAll(() =>
  replayThenClose(
    [server],
    pool.map((p) => p.client),
  ),
);

// --- what to send ---------------------------------------------------------------------------------

const junk = fc.anything({
  maxDepth: 3,
  withTypedArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
  withDate: true,
  withMap: true,
  withSet: true,
});
const oddNumber = fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 0.5, 1e12, 2 ** 53 + 1, Number.MAX_VALUE, Number.MIN_VALUE);
const num = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: oddNumber });
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('dawn', 'dusk', '<b>x</b>', '\u202Ex', '', ' ', '__proto__'));
const scenario = fc.constantFrom('two-generals', 'paxos', 'nope', '__proto__');
const tableId = fc.constantFrom('T1', 'T2', 'T3', 'T9', 'T0', 'T501');
const seatName = fc.constantFrom('A', 'B', 'a1', 'a2', 'a3', 'V', 'l1', 'Z');
const playerId = fc.oneof(fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P99'), fc.string({ minLength: 1, maxLength: 8 }));

const tgSettings = fc.record({
  captureRate: fc.double({ min: 0, max: 1, noNaN: true }),
  delayMinMs: fc.integer({ min: 0, max: 3000 }),
  delayMaxMs: fc.integer({ min: 0, max: 3000 }),
  deadlineMs: fc.integer({ min: 10_000, max: 120_000 }),
  botBudget: fc.integer({ min: 1, max: 50 }),
});
const paxosSettings = fc.record({
  captureRate: fc.double({ min: 0, max: 1, noNaN: true }),
  delayMinMs: fc.integer({ min: 0, max: 3000 }),
  delayMaxMs: fc.integer({ min: 0, max: 3000 }),
  proposers: fc.integer({ min: 1, max: 3 }),
  acceptors: fc.integer({ min: 3, max: 7 }),
  learners: fc.integer({ min: 0, max: 5 }),
  mode: fc.constantFrom('strict', 'free'),
  deadlineMs: fc.integer({ min: 10_000, max: 120_000 }),
  valley: fc.boolean(),
});
const control = fc.oneof(
  fc.constantFrom({ type: 'pause' }, { type: 'resume' }, { type: 'end' }),
  fc.record({ type: fc.constantFrom('crash', 'restart'), seat: seatName }),
  fc.record({ type: fc.constantFrom('hold', 'release', 'capture'), n: num }),
  fc.record({ type: fc.constant('setCaptureRate'), captureRate: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), oddNumber) }),
);
const hostCommand = fc.oneof(
  { weight: 1, arbitrary: fc.record({ type: fc.constant('createTable'), scenario }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('setSeat'),
      table: tableId,
      seat: seatName,
      occupant: fc.oneof(fc.constant(null), fc.constant({ type: 'bot' }), fc.record({ type: fc.constant('player'), playerId })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('autoSeat'), bots: fc.boolean(), scenario }) },
  // Rarely, as it takes a student out for good; P1 (a general) and P3 (the proposer) always stay.
  { weight: 1, arbitrary: fc.record({ type: fc.constant('removePlayer'), playerId }).filter((c) => c.playerId !== 'P1' && c.playerId !== 'P3') },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('setSettings'), scenario: fc.constant('two-generals'), settings: tgSettings }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('setSettings'), scenario: fc.constant('paxos'), settings: paxosSettings }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('startGames'), table: fc.oneof(fc.constant(null), tableId) }) },
  { weight: 5, arbitrary: fc.record({ type: fc.constant('controlGame'), table: tableId, control }) },
  // Between lessons: rarely, as a removed table takes its games with it.
  { weight: 1, arbitrary: fc.record({ type: fc.constant('removeTable'), table: tableId }) },
  { weight: 1, arbitrary: fc.constant({ type: 'clearResults' }) },
);
const hour = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 23 }) }, { weight: 1, arbitrary: oddNumber });
const tgAction = fc.oneof(
  fc.record({
    type: fc.constant('sendMessenger'),
    payload: fc.oneof(
      fc.record({ type: fc.constant('proposal'), time: hour }),
      fc.record({ type: fc.constant('ack'), of: num }),
      fc.record({ type: fc.constant('note'), text }),
    ),
  }),
  fc.record({ type: fc.constant('commit'), decision: fc.oneof(fc.record({ type: fc.constant('attack'), time: hour }), fc.constant({ type: 'hold' })) }),
);
const recipients = fc.oneof(
  { weight: 5, arbitrary: fc.subarray(['a1', 'a2', 'a3', 'a4', 'A', 'V'], { minLength: 1 }) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { maxLength: 9 }) },
);
const paxosAction = fc.oneof(
  fc.record({ type: fc.constant('prepare'), round: num, to: recipients }),
  fc.record({ type: fc.constant('accept'), round: num, value: text, to: recipients }),
  fc.record({ type: fc.constantFrom('promise', 'refuse', 'acceptProposal', 'hold', 'release', 'capture'), n: num }),
  fc.record({ type: fc.constant('declare'), value: text }),
);
const code = fc.oneof(fc.constant(null), fc.constantFrom('ZZZZZ', 'zz-zz', '', '__proto__'), fc.string({ maxLength: 20 }));
const token = fc.oneof(fc.constant(null), fc.string({ minLength: 16, maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/));

/** A valid-looking message for each event; the nulls are filled in with the live session's values. */
const wellFormed = fc.oneof(
  { weight: 4, arbitrary: fc.record({ event: fc.constant(EVENTS.hostCommand), payload: hostCommand }) },
  {
    weight: 3,
    arbitrary: fc.record({
      event: fc.constant(EVENTS.playerAct),
      payload: fc.record({ action: tgAction, view: fc.constant(true) }, { requiredKeys: ['action'] }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      event: fc.constant(EVENTS.playerAct),
      payload: fc.record({ action: paxosAction, view: fc.constant(true) }, { requiredKeys: ['action'] }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ event: fc.constant(EVENTS.playerJoin), payload: fc.record({ code, name: text }) }) },
  { weight: 1, arbitrary: fc.record({ event: fc.constant(EVENTS.playerResume), payload: fc.record({ code, token }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      event: fc.constant(EVENTS.hostAttach),
      payload: fc.record({ sessionId: fc.oneof(fc.constant(null), fc.string({ maxLength: 70 })), hostToken: token }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      event: fc.constant(EVENTS.hostWatch),
      payload: fc.record({ tables: fc.oneof(fc.constant(null), fc.array(tableId, { maxLength: 70 })) }),
    }),
  },
);

type Path = (string | number)[];
/** Every place inside a JSON-like value: where a mutation can strike. */
function places(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) places(x, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}
function setAt(root: unknown, path: Path, f: (old: unknown) => unknown, remove = false): unknown {
  if (path.length === 0) return f(root);
  const parent = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, root as Record<string | number, unknown>);
  const key = path.at(-1)!;
  if (remove) delete parent[key];
  else parent[key] = f(parent[key]);
  return root;
}
type Mutation = 'replace' | 'drop' | 'add' | 'proto' | 'wrap' | 'number' | 'long';
/** A valid message made invalid in one place. */
const mutated = fc
  .tuple(
    wellFormed,
    fc.constantFrom<Mutation>('replace', 'drop', 'add', 'proto', 'wrap', 'number', 'long'),
    fc.nat(),
    junk,
    fc.constantFrom('from', 'seat', 'playerId', 'sessionId', 'constructor', 'x'),
    oddNumber,
  )
  .map(([m, how, pick, value, key, n]) => {
    let payload: unknown = structuredClone(m.payload);
    const where = places(payload);
    const path = where[pick % where.length]!;
    switch (how) {
      case 'replace':
        payload = setAt(payload, path, () => value);
        break;
      case 'drop':
        payload = path.length ? setAt(payload, path, () => undefined, true) : undefined;
        break;
      case 'add':
        payload = setAt(payload, path, (o) => (o && typeof o === 'object' ? Object.assign(o, { [key]: value }) : o));
        break;
      case 'proto':
        // An own "__proto__" key, as JSON.parse makes it.
        payload = setAt(payload, path, (o) =>
          o && typeof o === 'object' && !Array.isArray(o)
            ? JSON.parse(JSON.stringify(o).replace(/^\{/, '{"__proto__":{"polluted":"yes"},').replace(',}', '}'))
            : o,
        );
        break;
      case 'wrap':
        payload = setAt(payload, path, (o) => [o]);
        break;
      case 'number':
        payload = setAt(payload, path, () => n);
        break;
      case 'long':
        payload = setAt(payload, path, () => 'x'.repeat(5000));
        break;
    }
    return { event: m.event, payload };
  });

const eventName = fc.oneof(
  fc.constantFrom(...Object.values(EVENTS), 'valley:error', 'error', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
  fc.string({ maxLength: 60 }),
);
/** socket.io-client refuses to send these itself. */
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
const message = fc.oneof(
  { weight: 4, arbitrary: wellFormed },
  { weight: 4, arbitrary: mutated },
  { weight: 1, arbitrary: fc.record({ event: fc.constantFrom(EVENTS.hostCommand, EVENTS.playerAct, EVENTS.playerJoin), payload: junk }) },
  { weight: 1, arbitrary: fc.record({ event: eventName.filter((e) => !RESERVED.has(e)), payload: junk }) },
);

type Op =
  /** `aim`: send from a socket the event suits (a host command from the host, an action from a student). */
  { kind: 'send'; socket: number; aim: boolean; event: string; payload: unknown; ack: boolean; extra: unknown[] } | { kind: 'tick'; ms: number };
const ack = fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.tuple(fc.nat(), fc.boolean(), ack, message).map(([socket, aim, ack, m]): Op => ({ kind: 'send', socket, aim, ack, extra: [], ...m })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      socket: fc.nat(),
      aim: fc.constant(false),
      event: eventName.filter((e) => !RESERVED.has(e)),
      payload: junk,
      ack: fc.boolean(),
      extra: fc.array(junk, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 5000 }) }) },
);

/** The nulls of a well-formed message become the live session's own code, token or id. */
function fillIn(payload: unknown, pick: number): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const p = payload as Record<string, unknown>;
  if ('code' in p && p.code === null) p.code = session.code;
  if ('token' in p && p.token === null) p.token = tokens[pick % tokens.length];
  if ('sessionId' in p && p.sessionId === null) p.sessionId = session.sessionId;
  if ('hostToken' in p && p.hostToken === null) p.hostToken = pick % 2 ? session.hostToken : 'A'.repeat(32);
  return p;
}

/** An answer in the protocol's shape: ok, or a refusal with a rule id and plain evidence. */
function wellShaped(r: unknown): boolean {
  if (!r || typeof r !== 'object') return false;
  const x = r as Reply<Record<string, unknown>>;
  if (x.ok === true) return true;
  if (x.ok !== false || !x.error || typeof x.error.rule !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(x.error.rule)) return false;
  return Object.values(x.error.evidence ?? {}).every((v) => typeof v === 'string' || typeof v === 'number');
}

async function run(ops: Op[]) {
  stats.runs++;
  for (const o of ops) {
    if (o.kind === 'tick') {
      stats.ticks++;
      await server.clock.advance(o.ms);
      continue;
    }
    const suits = (who: Seat) =>
      o.event === EVENTS.hostCommand || o.event === EVENTS.hostWatch
        ? who.kind === 'host'
        : o.event === EVENTS.playerAct
          ? who.kind === 'player'
          : who.kind === 'stranger';
    const choice = o.aim ? pool.filter((p) => suits(p.who)) : pool;
    const slot = choice.length ? choice[o.socket % choice.length]! : pool[o.socket % pool.length]!;
    if (!slot.client.socket.connected) {
      slot.client.close();
      slot.client = await attach(slot.who);
      stats.replaced++;
    }
    const payload = fillIn(o.payload, o.socket);
    const args = [payload, ...o.extra];
    stats.sent++;
    if (!o.ack) {
      slot.client.socket.emit(o.event, ...args);
      continue;
    }
    try {
      const r = (await slot.client.socket.timeout(3000).emitWithAck(o.event, ...args)) as unknown;
      stats.answered++;
      if (!wellShaped(r)) throw new Error(`badly shaped answer to ${o.event}: ${JSON.stringify(r)?.slice(0, 300)}`);
      const reply = r as Reply<Record<string, unknown>>;
      if (reply.ok) stats.ok++;
      else {
        stats.refused++;
        rules.set(reply.error.rule, (rules.get(reply.error.rule) ?? 0) + 1);
      }
    } catch (err) {
      if ((err as Error).message.startsWith('badly shaped')) throw err;
      // No answer is allowed only when the server closed the socket (a host removed the student, a
      // message over the size cap, too many refusals): never a message silently dropped.
      if (slot.client.socket.connected)
        throw new Error(`no answer to ${o.event} ${JSON.stringify(args)?.slice(0, 300)} on a connected socket: ${(err as Error).message}`, { cause: err });
      stats.dropped++;
    }
  }
}

describe('fuzzing a running server', () => {
  it(`random well- and ill-formed messages for up to ${TIME_LIMIT_MS / 1000} s: every answer well-shaped, no crash, the log replays, and a whole game is served afterwards`, async () => {
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    let current: Promise<void> = Promise.resolve();
    // The seed is printed whatever happens: a failure after the property (a log that does not
    // replay, say) is replayed with FUZZ_SEED too. The time limit makes the number of runs vary.
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
    console.info(`fuzz: seed ${seed} (FUZZ_SEED=${seed} to replay)`);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        current = run(ops);
        await current;
      }),
      { numRuns: 2000, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, seed, endOnFailure: true },
    );
    // fast-check stops waiting for the run under way at the time limit, but that run goes on sending:
    // let it finish before anything is checked.
    await current;
    console.info(
      `fuzz: ${JSON.stringify(stats)}; refusals by rule: ${JSON.stringify(Object.fromEntries([...rules].sort((a, b) => b[1] - a[1]).slice(0, 12)))}`,
    );
    // The fuzz did something: many messages went through, both accepted and refused.
    expect(stats.sent).toBeGreaterThan(300);
    expect(stats.ok).toBeGreaterThan(10);
    expect(stats.refused).toBeGreaterThan(100);

    // Nothing leaked into the prototypes of this process (the server runs in it).
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Let every message still on its way be handled: messages sent without an acknowledgement may
    // still be in flight. One acknowledged message per socket, after them, comes back only once the
    // ones before it have reached their session; then the sessions finish their work.
    for (const p of pool) {
      if (p.client.socket.connected)
        await p.client.socket
          .timeout(3000)
          .emitWithAck('fuzz:sync')
          .catch(() => {});
      p.client.close();
    }
    for (let i = 0; i < 3; i++) {
      await server.valley.idle();
      await new Promise((r) => setImmediate(r));
    }

    // Whatever happened, the log on disk replays to exactly what the server holds.
    const live = server.valley.registry.byId.get(session.sessionId)!;
    const parsed = parseLog(await readFile(join(server.dataDir, `${session.sessionId}.ndjson`), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.state).toEqual(live.state);
    expect(live.storageError ?? null).toBeNull();

    // And the server still serves a class: a fresh session plays a whole game to victory.
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, broken: 0 });
    await playWholeGame(server);
  });
});
