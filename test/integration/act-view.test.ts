// A student's action can ask for what it changed on their screen in the answer: one message instead of
// an answer and then a screen (in a hall, a third of all the server sends). The redraw that follows
// does not repeat it.
import { afterEach, describe, expect, it } from 'vitest';
import { tg, type PlayerView, type ScreenPatch } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { Client, runningTable, startServer, type TestServer } from '../support/server.ts';
import { replayThenClose } from '../support/replay-check.ts';

let server: TestServer;
const clients: Client[] = [];
// Every game the test played replays from the log to the live state; then all closes.
afterEach(() => replayThenClose([server], clients));
const keep = <T extends Client>(c: T): T => (clients.push(c), c);
const settings = { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000, deadlineMs: 60_000 };
const sent = (v: PlayerView | null | undefined) => (v?.game?.view as tg.TGView | undefined)?.sent.length;

describe('an action answered with the screen after it', () => {
  it('the answer holds the new screen, and no separate screen follows for the sender', async () => {
    server = await startServer();
    const { a, b } = await runningTable(server.url, settings, ['Ada', 'Bo'], keep);
    let screens = 0;
    a.socket.on(EVENTS.playerView, () => screens++);

    const before = a.screen.version;
    const r = await a.call<{ now: number; patch: ScreenPatch }>(EVENTS.playerAct, {
      action: { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } },
      view: true,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    // A patch from the screen the student holds to the next version, small, that shows the messenger.
    expect(r.patch).toMatchObject({ from: before, to: before + 1 });
    expect(JSON.stringify(r.patch.ops).length).toBeLessThan(JSON.stringify(a.view).length / 2);
    expect(a.screen.apply(r.patch)).toBe('applied');
    expect(sent(a.screen.view)).toBe(1);
    expect(a.screen.view!.player.name).toBe('Ada');
    // Let every redraw of this turn go out: the sender's screen is not sent again.
    await server.clock.settle?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screens).toBe(0);

    // The recipient's screen still comes when the messenger arrives; the sender's too once it changes.
    await server.clock.advance(1000);
    await b.until(() => (b.view?.game?.view as tg.TGView).received.length === 1);
    await b.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'ack', of: 1 } } });
    await server.clock.advance(1000);
    await a.until(() => screens === 1 && (a.screen.view?.game?.view as tg.TGView).received.length === 1);

    // Without the flag the answer is as before; a refusal never carries a screen; `view` must be `true`.
    expect(await a.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'note', text: 'x' } } })).toEqual({ ok: true });
    const refused = await a.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'ack', of: 99 } }, view: true });
    expect(refused.ok).toBe(false);
    expect(refused).not.toHaveProperty('patch');
    expect(await a.call(EVENTS.playerAct, { action: { type: 'sendMessenger', payload: { type: 'note', text: 'x' } }, view: 1 })).toMatchObject({
      ok: false,
      error: { rule: 'protocol/bad-message' },
    });
  });

  it("the student's other tab gets the same change as a patch, and the tab that acted gets it only in the answer", async () => {
    server = await startServer();
    const { session, a } = await runningTable(server.url, settings, ['Ada', 'Bo'], keep);
    // A second tab of Ada's: the same seat, resumed with her token.
    const tab = keep(new Client(server.url, { query: { s: session.code } }));
    const resumed = await tab.call<{ view: PlayerView; v: number }>(EVENTS.playerResume, { code: session.code, token: a.token });
    if (!resumed.ok) throw new Error(JSON.stringify(resumed.error));
    tab.enter(resumed);
    let screens = 0;
    a.socket.on(EVENTS.playerView, () => screens++);

    const r = await a.call<{ patch: ScreenPatch }>(EVENTS.playerAct, {
      action: { type: 'sendMessenger', payload: { type: 'proposal', time: 6 } },
      view: true,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    await tab.until(() => sent(tab.view) === 1);
    expect(tab.screen.version).toBe(r.patch.to);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screens).toBe(0);
    expect(tab.errors).toEqual([]);
  });
});
