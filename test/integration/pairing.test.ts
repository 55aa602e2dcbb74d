// The host console on a second device: the new device asks for a pairing code and shows it, the
// teacher types it into the console (holding the host key), and the new device — alone knowing its
// secret request id — collects the key, once. A code read off the projector gives nobody anything;
// codes last five minutes; requests are throttled; bad bodies are refused in words.
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

const post = (path: string, body?: unknown, token?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const ask = async () => (await (await post('/api/pair/requests')).json()) as { requestId: string; pairCode: string; expiresAt: number };
const collect = (requestId: unknown) => post('/api/pair/collect', { requestId });
const grant = (sessionId: string, pairCode: unknown, token?: string) => post(`/api/sessions/${sessionId}/pair`, { pairCode }, token);
const badCode = { error: { rule: 'auth/bad-pair-code', evidence: {} } };

describe('pairing another device with the host console', () => {
  it('the new device shows a code, the host types it in (as a person would), the device collects the key once', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const { requestId, pairCode, expiresAt } = await ask();
    expect(pairCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(requestId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(expiresAt).toBe(server.clock.now() + 5 * 60_000);
    // Asked before the host has typed the code: wait.
    expect(await (await collect(requestId)).json()).toEqual({ waiting: true });

    const typed = `${pairCode.slice(0, 4).toLowerCase()} - ${pairCode.slice(4)}`;
    const granted = await grant(session.sessionId, typed, session.hostToken);
    expect([granted.status, await granted.json()]).toEqual([200, { ok: true }]);
    // The same code again (a second device racing for it, say): refused.
    expect(await (await grant(session.sessionId, pairCode, session.hostToken)).json()).toEqual(badCode);

    const got = await collect(requestId);
    expect([got.status, await got.json()]).toEqual([200, { sessionId: session.sessionId, code: session.code, hostToken: session.hostToken }]);
    const c = new Client(server.url);
    clients.push(c);
    expect(await c.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken })).toMatchObject({ ok: true });
    // Once only.
    expect(await (await collect(requestId)).json()).toEqual(badCode);
  });

  it('the code alone (read off the projector) collects nothing; only the host may grant; codes last five minutes', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    const other = await createSession(server.url);
    const { requestId, pairCode } = await ask();
    const refused = { error: { rule: 'auth/bad-token', evidence: {} } };
    for (const r of [
      await grant(session.sessionId, pairCode),
      await grant(session.sessionId, pairCode, other.hostToken),
      await grant('nope-nope-nope', pairCode, session.hostToken),
    ]) {
      expect([r.status, await r.json()]).toEqual([403, refused]);
    }
    for (const id of [pairCode, 'x'.repeat(32), 42, null, '../../etc/passwd']) expect(await (await collect(id)).json(), String(id)).toEqual(badCode);
    expect(await (await collect(requestId)).json()).toEqual({ waiting: true });

    await server.clock.advance(5 * 60_000);
    expect((await grant(session.sessionId, pairCode, session.hostToken)).status).toBe(404);
    expect((await collect(requestId)).status).toBe(404);

    const late = await ask();
    await server.clock.advance(5 * 60_000 - 1);
    expect((await grant(session.sessionId, late.pairCode, session.hostToken)).status).toBe(200);
    expect((await collect(late.requestId)).status).toBe(200);
  });

  it('bad bodies get a clear refusal, and requests from one address are throttled', async () => {
    server = await startServer();
    const session = await createSession(server.url);
    for (const [body, status, rule] of [
      ['{not json', 400, 'protocol/bad-message'],
      ['null', 400, 'protocol/bad-message'],
      ['x'.repeat(5000), 413, 'protocol/too-large'],
    ] as const) {
      for (const path of ['/api/pair/collect', `/api/sessions/${session.sessionId}/pair`]) {
        const r = await post(path, body, session.hostToken);
        expect([r.status, await r.json()], `${path} ${body.slice(0, 10)}`).toEqual([status, { error: { rule, evidence: {} } }]);
      }
    }
    for (const pairCode of [undefined, 42, 'x'.repeat(40), '__proto__', 'AAAAAAAA']) {
      const r = await grant(session.sessionId, pairCode, session.hostToken);
      expect([r.status, await r.json()], String(pairCode)).toEqual([404, badCode]);
    }
    // Ten requests a minute per address, then a clear refusal.
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await post('/api/pair/requests')).status);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    expect(await (await post('/api/pair/requests')).json()).toEqual({ error: { rule: 'join/too-many-attempts', evidence: {} } });
  });
});
