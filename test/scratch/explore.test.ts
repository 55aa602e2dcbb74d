import { it } from 'vitest';
import { EVENTS } from '@valley/shared/protocol';
import { Client, createSession, hostClient, playerClient, startServer } from '../support/server.ts';

it('explore', async () => {
  const server = await startServer();
  const session = await createSession(server.url);
  const host = await hostClient(server.url, session);
  const a = await playerClient(server.url, session.code, 'Ada');
  const b = await playerClient(server.url, session.code, 'Bo');
  await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false });
  await host.call(EVENTS.hostCommand, { type: 'startGames', table: null });
  const c = new Client(server.url);
  console.log('proto', JSON.stringify(await c.call(EVENTS.playerJoin, JSON.parse(`{"code":"${session.code}","name":"Eve","__proto__":{"polluted":1}}`))), ({} as any).polluted);
  console.log('nan', JSON.stringify(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'attack', time: NaN } } })));
  console.log('frac', JSON.stringify(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'attack', time: 6.5 } } })));
  console.log('24', JSON.stringify(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'attack', time: 24 } } })));
  console.log('type', JSON.stringify(await a.call(EVENTS.playerAct, { action: { type: 'teleport' } })));
  console.log('seat', JSON.stringify(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'hold' } }, seat: 'B' })));
  console.log('seat2', JSON.stringify(await a.call(EVENTS.playerAct, { action: { type: 'commit', decision: { type: 'hold' }, seat: 'B' } })));
  console.log('missing', JSON.stringify(await c.call(EVENTS.playerJoin, { code: session.code })));
  console.log('str', JSON.stringify(await c.call(EVENTS.playerJoin, 'hello')));
  console.log('null', JSON.stringify(await c.call(EVENTS.playerJoin, null)));
  console.log('settings', JSON.stringify(await host.call(EVENTS.hostCommand, { type: 'setSettings', settings: { captureRate: NaN, delayMinMs: 1, delayMaxMs: 2, deadlineMs: 60000, botBudget: 5 } })));
  console.log('settings2', JSON.stringify(await host.call(EVENTS.hostCommand, { type: 'setSettings', settings: { captureRate: 0.1, delayMinMs: 5, delayMaxMs: 2, deadlineMs: 60000, botBudget: 5 } })));
  console.log('unknown', JSON.stringify(await c.call('admin:shutdown', {})));
  c.socket.emit(EVENTS.playerJoin, { code: session.code, name: 'x' });
  c.socket.emit('nope', 1);
  c.socket.emit(EVENTS.playerJoin, { code: session.code, name: 'x' }, 2, () => {});
  await new Promise((r) => setTimeout(r, 300)); console.log("conn", c.socket.connected, JSON.stringify(c.errors));
  console.log('errors', JSON.stringify(c.errors));
  const big = new Client(server.url);
  await big.connected();
  const reasons: string[] = [];
  big.socket.on('disconnect', (r) => reasons.push(r));
  const p = big.socket.emitWithAck(EVENTS.playerJoin, { code: session.code, name: 'x'.repeat(1 << 20) }).then((r) => ['resolved', r], (e) => ['rejected', String(e)]);
  await big.until(() => !big.socket.connected);
  console.log('big', reasons, JSON.stringify(await p));
  const poll = new Client(server.url, { transports: ['polling'] });
  await poll.connected();
  const preasons: string[] = [];
  poll.socket.on('disconnect', (r) => preasons.push(r));
  const pp = poll.socket.emitWithAck(EVENTS.playerJoin, { code: session.code, name: 'x'.repeat(1 << 20) }).then((r) => ['resolved', r], (e) => ['rejected', String(e)]);
  await poll.until(() => !poll.socket.connected);
  console.log('pollbig', preasons, JSON.stringify(await pp));
  for (const transports of [['websocket'], ['polling']]) {
    const evil = new Client(server.url, { transports, extraHeaders: { origin: 'http://evil.example' } });
    const r = await evil.connected().then(() => 'connected', (e) => `refused: ${e.message} ${JSON.stringify((e as any).description?.message ?? (e as any).context?.statusText ?? '')}`);
    console.log('evil', transports, r);
    evil.close();
  }
  const same = new Client(server.url, { extraHeaders: { origin: server.url } });
  console.log('same', await same.connected().then(() => 'connected', (e) => `refused ${e.message}`));
  await host.call(EVENTS.hostCommand, { type: 'removePlayer', playerId: b.playerId });
  const breasons: string[] = [];
  b.socket.on('disconnect', (r) => breasons.push(r));
  await b.until(() => b.removed && !b.socket.connected);
  console.log('removed', b.removed, breasons);
  const r2 = new Client(server.url);
  console.log('resume', JSON.stringify(await r2.call(EVENTS.playerResume, { code: session.code, token: b.token })));
  for (const x of [host, a, b, c, big, poll, same, r2]) x.close();
  await server.close();
});
it('origin http', async () => {
  const server = await startServer();
  for (const origin of ['http://evil.example', server.url]) {
    const r = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    console.log(origin, r.status, await r.text());
  }
  await server.close();
});
