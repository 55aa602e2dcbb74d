// The primary's router (server/src/cluster/route.ts): a connection's request line is read from its
// first bytes, bounded, and names the worker it goes to — by session id, by join code, or any.
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_LINE, PAIRING_WORKER, readRequestLine, routeOf, workerFor } from '@valley/server/cluster/route';
import { fnv1a, sessionKey, workerOf } from '@valley/server/cluster/partition';

const line = (s: string) => readRequestLine(Buffer.from(s, 'latin1'));

describe('reading the request line', () => {
  it('reads the method and the target once the line has ended, with or without the rest of the request', () => {
    expect(line('GET /socket.io/?EIO=4&transport=polling&s=DEMQ2 HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual({
      type: 'line',
      method: 'GET',
      target: '/socket.io/?EIO=4&transport=polling&s=DEMQ2',
    });
    expect(line('POST /api/sessions HTTP/1.0\n')).toEqual({ type: 'line', method: 'POST', target: '/api/sessions' });
  });

  it('waits for more bytes while the line has not ended', () => {
    expect(line('')).toEqual({ type: 'partial' });
    expect(line('GET /socket.io/?s=DEM')).toEqual({ type: 'partial' });
    expect(line('GET / HTTP/1.1\r')).toEqual({ type: 'partial' });
  });

  it('refuses a line that is not a request line', () => {
    for (const bad of [
      '\r\n',
      'get / HTTP/1.1\r\n',
      'GET  / HTTP/1.1\r\n',
      'GET / HTTP/2\r\n',
      'GET http://x/ HTTP/1.1\r\n',
      'GET /a b HTTP/1.1\r\n',
      'GET /\u00e9 HTTP/1.1\r\n',
      '\u0016\u0003\u0001\u0002\n',
    ])
      expect(line(bad), JSON.stringify(bad)).toEqual({ type: 'bad', reason: 'malformed' });
  });

  it('refuses 8 KB with no line end, and a line end that comes later, without waiting for more', () => {
    expect(line('G'.repeat(MAX_REQUEST_LINE))).toEqual({ type: 'bad', reason: 'too-long' });
    expect(line('G'.repeat(MAX_REQUEST_LINE - 1))).toEqual({ type: 'partial' });
    expect(line(`GET /${'a'.repeat(MAX_REQUEST_LINE)} HTTP/1.1\r\n`)).toEqual({ type: 'bad', reason: 'too-long' });
  });
});

describe('routing a request', () => {
  const id = 'q1w2e3r4t5y6u7i8';
  it('sends a session API request to the worker of the id in its path', () => {
    for (const t of [`/api/sessions/${id}/log`, `/api/sessions/${id}/results.csv?lang=zh`, `/api/sessions/${id}`])
      expect(routeOf(t), t).toEqual({ type: 'session', key: id });
  });

  it('sends a socket.io request to the worker of the session its `s` parameter names, a code normalised as a join does', () => {
    expect(routeOf('/socket.io/?EIO=4&transport=websocket&s=DEMQ2')).toEqual({ type: 'session', key: 'DEMQ2' });
    expect(routeOf('/socket.io/?s=dem-q2&EIO=4')).toEqual({ type: 'session', key: 'DEMQ2' });
    expect(routeOf(`/socket.io/?EIO=4&transport=polling&sid=abc&s=${id}`)).toEqual({ type: 'session', key: id });
  });

  it('sends every pairing request to the pairing worker', () => {
    for (const t of ['/api/pair/requests', '/api/pair/collect', `/api/sessions/${id}/pair`]) {
      expect(routeOf(t), t).toEqual({ type: 'pairing' });
      expect(workerFor(routeOf(t), 3, () => 2)).toBe(PAIRING_WORKER);
    }
  });

  it('sends the rest to any worker in turn: pages, assets, creating a session, a socket that names none or nonsense', () => {
    for (const t of [
      '/',
      '/join/DEMQ2',
      '/assets/index.js',
      '/api/sessions',
      '/api/info',
      '/healthz',
      '/socket.io/?EIO=4',
      '/socket.io/?s=',
      '/socket.io/?s=%%%',
      `/api/sessions/${'x'.repeat(80)}/log`,
      '/api/sessions/a.b/log',
    ])
      expect(routeOf(t), t).toEqual({ type: 'any' });
    let turn = 0;
    const next = () => turn++;
    expect([0, 1, 2, 3].map(() => workerFor({ type: 'any' }, 2, next))).toEqual([0, 1, 0, 1]);
  });

  it('places a key by FNV-1a', () => {
    // The reference values of 32-bit FNV-1a.
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(workerFor({ type: 'session', key: 'DEMQ2' }, 2, () => 0)).toBe(workerOf('DEMQ2', 2));
    expect([sessionKey('DEMQ2'), sessionKey(' demq2 '), sessionKey(id), sessionKey('DEMQ'), sessionKey('a/b')]).toEqual(['DEMQ2', 'DEMQ2', id, null, null]);
  });
});
