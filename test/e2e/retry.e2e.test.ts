// Nothing a student did is lost with the connection: the Wi-Fi drops right after the server took an
// action and before its answer came back. The page sends the same action again with the same id once
// its seat is back, the server answers the retry as it answered the first, and the action is applied
// once — the student sees it done, never "offline" for something that happened. An action taken while
// the connection is down waits for the seat to be back, and goes then.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { tg } from '@valley/shared';
import { en as T } from '../../client/src/i18n/en.ts';
import { LAPTOP, PROJECTOR, haveChromium, screenshot, useStage } from '../support/browser.ts';

describe.skipIf(!haveChromium)('an action whose answer is lost with the connection, in Chromium', () => {
  const stage = useStage();

  /**
   * A teacher, Eve (whose connection goes through `route`, set before her page opens) and Bo at one
   * Two Generals table, playing; `sent()` counts Eve's messengers in the server's own state.
   */
  async function table(route: (eve: Page) => Promise<void>) {
    const host = await stage.open(PROJECTOR, '/?lang=en');
    await host.getByRole('button', { name: T['home.host.submit'] }).click();
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    const sessionId = new URL(host.url()).pathname.split('/').pop()!;
    const eve = await stage.open(LAPTOP, '/?lang=en');
    await route(eve);
    await eve.goto(`${stage.base}/join/${code}?lang=en`);
    await eve.getByLabel(T['home.join.name']).fill('Eve');
    await eve.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
    await eve.waitForURL(/\/play\//);
    const bo = await stage.open(LAPTOP, `/join/${code}?lang=en`);
    await bo.getByLabel(T['home.join.name']).fill('Bo');
    await bo.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
    await bo.waitForURL(/\/play\//);
    await host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await host.getByRole('button', { name: T['host.startAll'] }).click();
    const send = eve.getByRole('button', { name: T['tg.propose.send'] });
    await send.waitFor();
    const sent = () => {
      const s = stage.valley!.registry.byId.get(sessionId)!.state;
      const t = s.tables.T1!;
      const seat = Object.entries(t.seats).find(([, o]) => o?.type === 'player' && s.players[o.playerId]?.name === 'Eve')![0];
      return (t.game!.state as tg.State).messengers.filter((m) => m.from === seat).length;
    };
    return { pages: [host, eve, bo], eve, send, sent };
  }

  it('is sent again after the reconnection and applied once', async () => {
    // Eve's connection passes through a cut we control: the first action after `cut` is set reaches
    // the server, and then her side of the socket is closed before the answer can come back.
    let cut = false;
    let cuts = 0;
    let sockets = 0;
    const { pages, eve, send, sent } = await table((page) =>
      page.routeWebSocket(/\/socket\.io\//, (ws) => {
        sockets++;
        const server = ws.connectToServer();
        ws.onMessage((m) => {
          server.send(m);
          if (cut && typeof m === 'string' && m.includes('"player:act"')) {
            cut = false;
            cuts++;
            void ws.close();
          }
        });
        server.onMessage((m) => ws.send(m));
      }),
    );
    // The socket has moved to WebSocket by now (the cut is on WebSocket frames).
    await expect.poll(() => sockets).toBeGreaterThan(0);
    const before = sockets;
    cut = true;
    await send.click();
    // The cut happened, a new connection came, and the screen shows the messenger on its way.
    await expect.poll(() => cuts, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => sockets, { timeout: 20_000 }).toBeGreaterThan(before);
    await expect.poll(sent, { timeout: 20_000 }).toBe(1);
    // Applied once — the retry was answered, not applied again — and the student was never told it
    // failed: past the 10 s a lost answer takes to be given up on, no error is on the screen.
    await new Promise((r) => setTimeout(r, 11_000));
    expect(sent()).toBe(1);
    await expect(eve.getByText(T['rule.net/offline']).count()).resolves.toBe(0);
    await expect(eve.locator('p.error').count()).resolves.toBe(0);
    await screenshot(eve, 'retry-after-cut-en-laptop');
    for (const p of pages) await p.context().close();
  });

  it('an action while the connection is down waits for the seat to be back, and is applied', async () => {
    // Eve's connection can be dropped on demand and kept down: while `down`, every new connection fails.
    let drop: (() => void) | null = null;
    let down = false;
    let refused = 0;
    const { pages, eve, send, sent } = await table(async (page) => {
      await page.routeWebSocket(/\/socket\.io\//, (ws) => {
        if (down) {
          refused++;
          return void ws.close();
        }
        const server = ws.connectToServer();
        drop = () => void ws.close();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => ws.send(m));
      });
      await page.route(/\/socket\.io\/.*transport=polling/, async (route) => {
        if (!down) return route.continue();
        refused++;
        await route.abort();
      });
    });
    await expect.poll(() => drop !== null).toBe(true);
    down = true;
    drop!();
    // The page has tried to come back and could not: the student sends now, offline.
    await expect.poll(() => refused, { timeout: 20_000 }).toBeGreaterThan(0);
    await send.click();
    await new Promise((r) => setTimeout(r, 500));
    down = false;
    // Once the seat is back the action goes, and is applied; the student is never told to join first.
    await expect.poll(sent, { timeout: 20_000 }).toBe(1);
    await expect(eve.getByText(T['rule.auth/not-joined']).count()).resolves.toBe(0);
    await expect(eve.locator('p.error').count()).resolves.toBe(0);
    for (const p of pages) await p.context().close();
  });
});
