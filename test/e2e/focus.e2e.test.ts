// One table on the whole projector: opened from its card on the host console, or from its address
// (`?table=T30`, a table far down the page whose card is not on screen), drawn at full size with
// every messenger, and left with "← All tables", Esc or the browser's Back. Measured in Chromium at
// 1920×1080: the diagram spans the screen and its words are at least 24 px; screenshots of each
// scenario's kind (Two Generals, Paxos, a road level) in English and Chinese, projector and laptop.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, artifacts, fill, haveChromium, useBotHall } from '../support/browser.ts';

const catalogues = { en, zh };
const TABLES = 30;
/** T2 plays Paxos, T3 the road's first level; every other table Two Generals. */
const scenarioOfTable = (i: number) => (i === 1 ? 'paxos' : i === 2 ? 'naive' : 'two-generals');

describe.skipIf(!haveChromium)('one table enlarged on the projector, in Chromium', () => {
  // Eight seconds of the valley: plans out, some arrived, acknowledged, captured; Paxos under way.
  const hall = useBotHall({ tables: TABLES, scenarioOfTable, settleMs: 8000 });
  const { live, openHost } = hall;

  const sent = (id: string) => (live().tables[id]!.game!.state as { messengers: unknown[] }).messengers.length;
  const focusDiagram = (p: Page) => p.locator('.focus-view svg.spacetime');

  /** The diagram's size on screen, and the rendered size (px) of its smallest lane name and note. */
  async function measure(p: Page) {
    return focusDiagram(p).evaluate((svg) => {
      const s = svg as unknown as { viewBox: { baseVal: { width: number } }; getBoundingClientRect(): { width: number; height: number } };
      const box = s.getBoundingClientRect();
      const scale = box.width / s.viewBox.baseVal.width;
      const sizes = (sel: string) =>
        Array.from((svg as unknown as { querySelectorAll(s: string): ArrayLike<Element> }).querySelectorAll(sel)).map(
          (el) => parseFloat(getComputedStyle(el as never).fontSize) * scale,
        );
      return { width: box.width, height: box.height, lane: Math.min(...sizes('.lane text')), notes: sizes('.mark-text') };
    });
  }

  it('opens a table far down the page from its address, with every messenger, and goes back to the grid', async () => {
    const T = catalogues.en;
    const last = `T${TABLES}`;
    const p = await openHost(PROJECTOR, 'en', `&table=${last}`);
    await p.getByRole('heading', { name: fill(T['host.table'], { id: last }), exact: false }).waitFor();
    // Its card would be far below the screen: the table is watched because it is shown enlarged.
    await expect.poll(() => p.locator('.focus-view .spacetime .msg').count()).toBe(sent(last));
    const m = await measure(p);
    expect(m.width).toBeGreaterThan(1750);
    expect(m.height).toBeGreaterThan(250);
    expect(m.lane).toBeGreaterThanOrEqual(24);
    for (const n of m.notes) expect(n).toBeGreaterThanOrEqual(24);
    // The page's own words around it, too.
    const body = await p.locator('.focus-view .stats').evaluate((el) => parseFloat(getComputedStyle(el as never).fontSize));
    expect(body).toBeGreaterThanOrEqual(24);
    await p.screenshot({ path: join(artifacts, 'focus-en-projector-from-address.png') });

    // "← All tables": the grid, and the address no longer names the table.
    await p.getByRole('button', { name: T['host.focus.back'] }).click();
    await p.locator('.table-grid').waitFor();
    expect(new URL(p.url()).searchParams.get('table')).toBeNull();
    expect(new URL(p.url()).searchParams.get('lang')).toBe('en');
    await p.context().close();
  });

  it('enlarges a table from its card; Back, Forward and Esc move between the grid and the table', async () => {
    const T = catalogues.en;
    const p = await openHost(PROJECTOR, 'en');
    const card = p.locator('article[data-table="T1"]');
    await card.locator('svg.spacetime').waitFor();
    await card.getByRole('button', { name: fill(T['host.focus.open'], { id: 'T1' }) }).click();
    await focusDiagram(p).waitFor();
    expect(new URL(p.url()).searchParams.get('table')).toBe('T1');
    await expect.poll(() => p.locator('.focus-view .spacetime .msg').count()).toBe(sent('T1'));
    await p.goBack();
    await p.locator('.table-grid').waitFor();
    expect(await p.locator('.focus-view').count()).toBe(0);
    expect(p.url()).toContain(`/host/${hall.session.sessionId}`);
    await p.goForward();
    await focusDiagram(p).waitFor();
    await p.keyboard.press('Escape');
    await p.locator('.table-grid').waitFor();
    expect(new URL(p.url()).searchParams.get('table')).toBeNull();
    // A reload of an enlarged table's address opens it enlarged again.
    await card.getByRole('button', { name: fill(T['host.focus.open'], { id: 'T1' }) }).click();
    await focusDiagram(p).waitFor();
    await p.reload();
    await focusDiagram(p).waitFor();
    await p.context().close();
  });

  for (const lang of ['en', 'zh'] as const)
    for (const [sizeName, size] of [
      ['projector', PROJECTOR],
      ['laptop', LAPTOP],
    ] as const) {
      it(`draws each kind of table enlarged, without overflow (${lang}, ${sizeName})`, async () => {
        const p = await openHost(size, lang);
        await p.locator('article[data-table="T1"] svg.spacetime').waitFor();
        await p.screenshot({ path: join(artifacts, `focus-grid-${lang}-${sizeName}.png`) });
        for (const [id, kind] of [
          ['T1', 'tg'],
          ['T2', 'paxos'],
          ['T3', 'road'],
        ] as const) {
          await p.locator(`article[data-table="${id}"] .focus-open`).click();
          await focusDiagram(p).waitFor();
          await expect.poll(() => p.locator('.focus-view .spacetime .msg').count()).toBe(sent(id));
          // Nothing wider than the screen: no sideways scrolling on the projector or the laptop.
          expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
          if (sizeName === 'projector') expect((await measure(p)).lane).toBeGreaterThanOrEqual(24);
          await p.screenshot({ path: join(artifacts, `focus-${lang}-${sizeName}-${kind}.png`), fullPage: true });
          await p.keyboard.press('Escape');
          await p.locator('.table-grid').waitFor();
        }
        await p.context().close();
      });
    }
});
