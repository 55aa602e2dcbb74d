// The collector itself, in Chromium: a page of a launched browser reports what it shows as it changes,
// at a screenshot and when it closes, and a raw rule id or key on it is found. (The findings here are
// taken, so this file's own check at the end sees only the clean page.)
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launch, screenFindings, screens } from '../support/browser.ts';

describe.skipIf(!haveChromium)('the text of every screen, collected', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reports a screen as its DOM changes, attributes and SVG tooltips included, and finds the raw words', async () => {
    const page = await browser.newPage();
    await page.setContent('<main><p>Broken rules</p></main>');
    await page.evaluate(() => {
      document.querySelector('p')!.textContent = 'B: paxos/accept-wrong-value';
      document.body.insertAdjacentHTML('beforeend', '<button aria-label="host.table.remove">×</button><svg><title>{seat} waits</title></svg>');
    });
    await expect.poll(() => screenFindings().map((f) => f.match)).toEqual(expect.arrayContaining(['paxos/accept-wrong-value', 'host.table.remove', '{seat}']));
    expect(screens.every((s) => s.test.includes('reports a screen'))).toBe(true);
    screenFindings(true);

    // The last screen before the browser closes is read too, without waiting for the DOM to settle.
    await page.evaluate(() => {
      document.body.innerHTML = '<p>A clean screen: the value 09:00 was chosen.</p>';
    });
    await page.context().close();
    expect(screens.at(-1)!.text).toContain('the value 09:00 was chosen');
    expect(screenFindings()).toEqual([]);
  });
});
