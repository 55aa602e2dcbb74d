// A big session on the host's screen: 36 tables of bots playing (Two Generals and Paxos). The cards on
// screen are live — a space-time diagram and the whole body — and the ones far down the page are a
// compact summary until the teacher scrolls to them. In English and in Chinese, on a projector and a
// laptop; screenshots of each are kept.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { px, scenarioOf, tg, type SessionState } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, artifacts, fill, haveChromium, launch, screenshot } from '../support/browser.ts';
import { clientDist } from '../support/paths.ts';
import { createSession, hostClient, startServer, type Client, type TestServer } from '../support/server.ts';

const catalogues = { en, zh };
const TABLES = 36;
/** Every sixth table plays Paxos (a wide card); the rest, and the last one, play Two Generals. */
const scenarioOfTable = (i: number) => (i % 6 === 4 ? 'paxos' : 'two-generals');
const LAST = `T${TABLES}`;

describe.skipIf(!haveChromium)('a big session on the host console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let host: Client;
  let session: { sessionId: string; code: string; hostToken: string };
  const live = () => server.valley.registry.byId.get(session.sessionId)!.state as SessionState;

  beforeAll(async () => {
    // Fake time: the bots move only when the test advances the clock, so what the cards show is fixed.
    // The setup sends ~130 commands on one socket: lift the per-socket rate for it.
    server = await startServer({ clientDir: clientDist, limits: { socketRate: 10_000, socketBurst: 10_000 } });
    browser = await launch();
    session = await createSession(server.url);
    host = await hostClient(server.url, session);
    const quick = { captureRate: 0.25, delayMinMs: 1000, delayMaxMs: 3000, deadlineMs: 600_000 };
    const commands: unknown[] = [
      { type: 'setSettings', scenario: 'two-generals', settings: { ...tg.defaultConfig, ...quick } },
      { type: 'setSettings', scenario: 'paxos', settings: { ...px.defaultConfig, ...quick } },
    ];
    for (let i = 0; i < TABLES; i++) commands.push({ type: 'createTable', scenario: scenarioOfTable(i) });
    for (const c of commands) expect(await host.call(EVENTS.hostCommand, c)).toEqual({ ok: true });
    const seats = live().tableOrder.flatMap((table) => Object.keys(live().tables[table]!.seats).map((seat) => ({ table, seat })));
    await Promise.all(
      seats.map(async (s) => expect(await host.call(EVENTS.hostCommand, { type: 'setSeat', ...s, occupant: { type: 'bot' } })).toEqual({ ok: true })),
    );
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    // Two and a half seconds of the valley: plans out, some arrived, some acknowledged, some captured.
    for (let i = 0; i < 5; i++) await server.clock.advance(500);
    const games = live().tableOrder.map((id) => live().tables[id]!.game!.state as { status: string; messengers: unknown[] });
    expect(games.every((g) => g.status === 'running')).toBe(true);
    expect(games.every((g) => g.messengers.length > 0)).toBe(true);
  });
  afterAll(async () => {
    host?.close();
    await browser?.close();
    await server?.close();
  });

  /** The host's own browser: the host key in localStorage (as the page that made the session keeps it). */
  async function openHost(size: { width: number; height: number }, lang: 'en' | 'zh'): Promise<Page> {
    const context = await browser.newContext({ viewport: size });
    // A string: the tests are compiled without the DOM's types.
    const key = JSON.stringify({ hostToken: session.hostToken, code: session.code });
    await context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`valley.host.${session.sessionId}`)}, ${JSON.stringify(key)});` });
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    await p.goto(`${server.url}/host/${session.sessionId}?lang=${lang}`);
    return p;
  }

  /** What a card off screen should say: its verdict's counts, from the server's own state. */
  function summaryOf(id: string, lang: 'en' | 'zh') {
    const t = live().tables[id]!;
    const v = scenarioOf(t.scenario).verdict(t.game!.state) as { messengersSent: number; captured: number };
    return fill(catalogues[lang]['host.table.summary'], { sent: v.messengersSent, captured: v.captured });
  }

  const card = (p: Page, id: string) => p.locator(`article.table-card[data-table="${id}"]`);
  const diagram = (p: Page, id: string) => card(p, id).locator('svg.spacetime');

  for (const [lang, size, sizeName] of [
    ['en', PROJECTOR, 'projector'],
    ['zh', PROJECTOR, 'projector'],
    ['en', LAPTOP, 'laptop'],
    ['zh', LAPTOP, 'laptop'],
  ] as const) {
    it(`cards on screen are live, cards far down are summaries until scrolled to (${lang}, ${sizeName})`, async () => {
      const T = catalogues[lang];
      const p = await openHost(size, lang);
      await expect.poll(() => p.locator('article.table-card').count(), { timeout: 30_000 }).toBe(TABLES);

      // The top of the hall: the first cards show their live diagram and their whole body.
      await diagram(p, 'T1').waitFor();
      await diagram(p, 'T2').waitFor();
      await card(p, 'T1').locator('p.decisions').waitFor();
      await card(p, 'T5').locator('table.acceptors').waitFor(); // the Paxos table's acceptor cards
      expect(await card(p, 'T1').locator('.stats').textContent()).toMatch(/·.*·.*·/);

      // The far end: status and counts only, no diagram.
      const far = card(p, LAST);
      await far.locator('p.stats', { hasText: summaryOf(LAST, lang) }).waitFor();
      expect(await diagram(p, LAST).count()).toBe(0);
      expect(await far.locator('p.decisions').count()).toBe(0);
      expect(await far.locator('.status').textContent()).toContain(T['host.table.running'].split('{t}')[0]);
      await p.screenshot({ path: join(artifacts, `host-hall-${lang}-${sizeName}-viewport.png`) });
      await screenshot(p, `host-hall-${lang}-${sizeName}`);
      // Each kind of card at full size, to judge it from the back of the room (clipped from the whole
      // page: an element's own screenshot would scroll it into view, and so bring it live).
      for (const [id, kind] of [
        ['T1', 'live'],
        [LAST, 'summary'],
        ['T35', 'summary-paxos'],
      ] as const) {
        const box = (await card(p, id).boundingBox())!;
        await p.screenshot({ path: join(artifacts, `host-hall-${lang}-${sizeName}-card-${kind}.png`), fullPage: true, clip: box });
      }
      expect(await diagram(p, LAST).count()).toBe(0);

      // The teacher scrolls down to the last table: it comes live; the first, now far above, folds up.
      await far.scrollIntoViewIfNeeded();
      await diagram(p, LAST).waitFor({ timeout: 5000 });
      await far.locator('p.decisions').waitFor();
      await diagram(p, 'T1').waitFor({ state: 'detached', timeout: 5000 });
      await card(p, 'T1')
        .locator('p.stats', { hasText: summaryOf('T1', lang) })
        .waitFor();
      await screenshot(p, `host-hall-${lang}-${sizeName}-scrolled`);
      await p.screenshot({ path: join(artifacts, `host-hall-${lang}-${sizeName}-scrolled-viewport.png`) });

      // And back up: the first card is live again.
      await card(p, 'T1').scrollIntoViewIfNeeded();
      await diagram(p, 'T1').waitFor({ timeout: 5000 });
      await p.context().close();
    });
  }
});
