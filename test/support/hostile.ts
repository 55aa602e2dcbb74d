// Tools for the hostile-input tests: a socket.io connection spoken by hand over a plain WebSocket, so
// a test can send frames no well-behaved client would, and a whole game played through the server
// to show it still serves a class afterwards.
import WebSocket from 'ws';
import { expect } from 'vitest';
import { tg } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import type { PlayerView } from '@valley/shared';
import { Client, createSession, type TestServer } from './server.ts';

type Frame = string | Buffer;

/** One engine.io connection over a WebSocket, driven frame by frame. */
export class RawSocket {
  readonly frames: Frame[] = [];
  /** The WebSocket close code once the server closed the connection (1005: closed without a status). */
  closeCode: number | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, binary) => {
      const frame = binary ? (data as Buffer) : data.toString();
      // Answer the server's heartbeat, as a real client would.
      if (frame === '2') ws.send('3');
      else this.frames.push(frame);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => this.wake());
  }

  /**
   * Opens the WebSocket and reads engine.io's open packet; with `connect`, also joins the default
   * namespace ("40") and waits for its answer. Resolves null if the server refused the handshake.
   */
  static async open(url: string, opts: { connect?: boolean; localAddress?: string; headers?: Record<string, string> } = {}): Promise<RawSocket | null> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { localAddress: opts.localAddress, headers: opts.headers });
    const raw = new RawSocket(ws);
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve(false);
      });
      ws.once('error', () => resolve(false));
    });
    if (!opened) {
      ws.terminate();
      return null;
    }
    const open = await raw.next((f) => typeof f === 'string' && f.startsWith('0{'));
    expect(JSON.parse((open as string).slice(1))).toMatchObject({ sid: expect.any(String), maxPayload: expect.any(Number) });
    if (opts.connect ?? true) {
      ws.send('40');
      await raw.next((f) => typeof f === 'string' && f.startsWith('40{'));
    }
    return raw;
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get closed() {
    return this.closeCode !== null;
  }

  send(frame: Frame) {
    this.ws.send(frame);
  }

  /** Sends a socket.io event frame ("42…") built from JSON, with an acknowledgement id if given. */
  emit(args: unknown[], ack?: number) {
    this.ws.send(`42${ack ?? ''}${JSON.stringify(args)}`);
  }

  /** The first frame received (from the start) that matches; throws when the time is up or the connection closed. */
  async next(match: (f: Frame) => boolean, ms = 3000): Promise<Frame> {
    const end = Date.now() + ms;
    for (;;) {
      const f = this.frames.find(match);
      if (f !== undefined) return f;
      if (this.closed) throw new Error(`connection closed (${this.closeCode}) while waiting; frames: ${JSON.stringify(this.frames.map(String))}`);
      if (Date.now() > end) throw new Error(`timed out; frames: ${JSON.stringify(this.frames.map(String))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 25);
      });
    }
  }

  /** The server's acknowledgement of event `id` ("43<id>[…]"), parsed. */
  async answer(id: number, ms = 3000): Promise<unknown> {
    const prefix = `43${id}[`;
    const f = (await this.next((x) => typeof x === 'string' && x.startsWith(prefix), ms)) as string;
    return (JSON.parse(f.slice(prefix.length - 1)) as unknown[])[0];
  }

  /** The events the server sent ("42[…]"), parsed. */
  events(): unknown[][] {
    return this.frames.filter((f): f is string => typeof f === 'string' && f.startsWith('42[')).map((f) => JSON.parse(f.slice(2)) as unknown[]);
  }

  /** Resolves once the server has closed the connection; throws if it is still open after `ms`. */
  async untilClosed(ms = 3000): Promise<number> {
    const end = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > end) throw new Error(`still open after ${ms} ms; frames: ${JSON.stringify(this.frames.map(String))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 25);
      });
    }
    return this.closeCode!;
  }

  close() {
    this.ws.terminate();
  }
}

const tgSettings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
const tgView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
const act = (c: Client, action: tg.Action) => c.call(EVENTS.playerAct, { action });

/**
 * A fresh session on `server`: a host and two students join, are seated, start, propose, acknowledge,
 * commit and win. Every step is asserted; the clients are closed at the end.
 */
export async function playWholeGame(server: TestServer, names: [string, string] = ['Ada', 'Bo'], opts: { localAddress?: string } = {}) {
  const session = await createSession(server.url);
  const clients: Client[] = [];
  const client = () => {
    const c = new Client(server.url, opts.localAddress ? ({ localAddress: opts.localAddress } as ConstructorParameters<typeof Client>[1]) : {});
    clients.push(c);
    return c;
  };
  try {
    const host = client();
    expect(await host.call(EVENTS.hostAttach, { sessionId: session.sessionId, hostToken: session.hostToken })).toMatchObject({ ok: true });
    const join = async (name: string) => {
      const c = client();
      const r = await c.call<{ view: PlayerView; v: number }>(EVENTS.playerJoin, { code: session.code, name });
      expect(r, name).toMatchObject({ ok: true });
      if (r.ok) c.enter(r);
      return c;
    };
    const a = await join(names[0]);
    const b = await join(names[1]);
    expect(await host.call(EVENTS.hostCommand, { type: 'setSettings', scenario: 'two-generals', settings: tgSettings })).toEqual({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'autoSeat', bots: false, scenario: 'two-generals' })).toMatchObject({ ok: true });
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    await a.until(() => tgView(a)?.status === 'running');
    await b.until(() => tgView(b)?.status === 'running');
    const [first, second] = tgView(a)!.seat === 'A' ? [a, b] : [b, a];
    expect(await act(first, { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await second.until(() => tgView(second)!.received.length === 1);
    expect(await act(second, { type: 'sendMessenger', payload: { type: 'ack', of: 1 } })).toEqual({ ok: true });
    expect(await act(second, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
    await server.clock.advance(1000);
    await first.until(() => tgView(first)!.received.length === 1);
    expect(await act(first, { type: 'commit', decision: { type: 'attack', time: 6 } })).toEqual({ ok: true });
    await first.until(() => tgView(first)!.status === 'ended');
    expect(tgView(first)!.debrief!.outcome).toBe('victory');
    await server.valley.idle();
    expect(server.valley.registry.byId.get(session.sessionId)!.state.results).toHaveLength(1);
    for (const c of clients) expect(c.errors).toEqual([]);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, broken: 0 });
    return session;
  } finally {
    for (const c of clients) c.close();
  }
}
