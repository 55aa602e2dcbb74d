// A big session on the host's screen: 36 tables of bots playing (Two Generals and Paxos). The cards on
// screen are live — a space-time diagram and the whole body — and the ones far down the page are a
// compact summary until the teacher scrolls to them. In English and in Chinese, on a projector and a
// laptop; screenshots of each are kept.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioOf } from '@valley/shared';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, artifacts, fill, haveChromium, screenshot, useBotHall } from '../support/browser.ts';

const catalogues = { en, zh };
const TABLES = 36;
/** Every sixth table plays Paxos (a wide card); the rest, and the last one, play Two Generals. */
const scenarioOfTable = (i: number) => (i % 6 === 4 ? 'paxos' : 'two-generals');
const LAST = `T${TABLES}`;

describe.skipIf(!haveChromium)('a big session on the host console in Chromium', () => {
  // Two and a half seconds of the valley: plans out, some arrived, some acknowledged, some captured.
  const { live, openHost } = useBotHall({ tables: TABLES, scenarioOfTable, settleMs: 2500 });
  beforeAll(() => {
    const games = live().tableOrder.map((id) => live().tables[id]!.game!.state as { status: string; messengers: unknown[] });
    expect(games.every((g) => g.status === 'running')).toBe(true);
    expect(games.every((g) => g.messengers.length > 0)).toBe(true);
  });

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
