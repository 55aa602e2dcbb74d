// The host console on a second device: a one-time pairing code, asked for with the host key and
// typed in on the other device, gives that device the key. Only the host can ask; a code works once,
// for five minutes; guesses are throttled; bad bodies are refused in words.
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

const offer = (id: string, token?: string) =>
  fetch(`${server.url}/api/sessions/${id}/pair`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
const redeem = (body: unknown) =>
  fetch(`${server.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('pairing another device with the host console', () => {
  it('the host asks for a code, the other device types it in (as a person would) and is the host too', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const res = await offer(session.sessionId, session.hostToken);
    expect(res.status).toBe(201);
    const { pairCode, expiresAt } = (await res.json()) as { pairCode: string; expiresAt: number };
    expect(pairCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(expiresAt).toBe(server.clock.now() + 5 * 60_000);

    const typed = `${pairCode.slice(0, 4).toLowerCase()} - ${pairCode.slice(4)}`;
    const got = await redeem({ pairCode: typed });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ sessionId: session.sessionId, code: session.code, hostToken: session.hostToken });

    // The key it received steers the session.
    const c = new Client(server.url);
    clients.push(c);
    expect(await c.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken })).toMatchObject({ ok: true });
    // Once only.
    expect(await (await redeem({ pairCode })).json()).toEqual({ error: { rule: 'auth/bad-pair-code', evidence: {} } });
  });

  it('only the host may ask; a code lasts five minutes; a new one replaces the old', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const other = await createSession(server.url);
    const refused = { error: { rule: 'auth/bad-token', evidence: {} } };
    for (const r of [await offer(session.sessionId), await offer(session.sessionId, other.hostToken), await offer('nope-nope-nope', session.hostToken), await offer('a'.repeat(65), session.hostToken)]) {
      expect([r.status, await r.json()]).toEqual([403, refused]);
    }

    const first = ((await (await offer(session.sessionId, session.hostToken)).json()) as { pairCode: string }).pairCode;
    const second = ((await (await offer(session.sessionId, session.hostToken)).json()) as { pairCode: string }).pairCode;
    expect((await redeem({ pairCode: first })).status).toBe(404);
    await server.clock.advance(5 * 60_000);
    expect((await redeem({ pairCode: second })).status).toBe(404);

    const third = ((await (await offer(session.sessionId, session.hostToken)).json()) as { pairCode: string }).pairCode;
    await server.clock.advance(5 * 60_000 - 1);
    expect((await redeem({ pairCode: third })).status).toBe(200);
  });

  it('bad bodies get a clear refusal, and guesses from one address are throttled', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    for (const [body, status, rule] of [
      ['{not json', 400, 'protocol/bad-message'],
      ['null', 400, 'protocol/bad-message'],
      ['x'.repeat(5000), 413, 'protocol/too-large'],
    ] as const) {
      const r = await redeem(body);
      expect([r.status, await r.json()], body.slice(0, 10)).toEqual([status, { error: { rule, evidence: {} } }]);
    }
    for (const body of [{}, { pairCode: 42 }, { pairCode: 'x'.repeat(40) }, { pairCode: '__proto__' }, []]) {
      const r = await redeem(body);
      expect([r.status, await r.json()], JSON.stringify(body)).toEqual([404, { error: { rule: 'auth/bad-pair-code', evidence: {} } }]);
    }
    // Ten tries a minute per address (the five above count): then even the right code waits.
    const { pairCode } = (await (await offer(session.sessionId, session.hostToken)).json()) as { pairCode: string };
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await redeem({ pairCode: 'AAAAAAAA' })).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    const r = await redeem({ pairCode });
    expect([r.status, await r.json()]).toEqual([429, { error: { rule: 'join/too-many-attempts', evidence: {} } }]);
  });
});
