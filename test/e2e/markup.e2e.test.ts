// Names that are markup, in real Chromium: students named like an <img> with an onerror handler, an
// <svg> with an onload handler and a <b> tag join; the host's console and the students' pages show
// the names as plain text. No element is made from them and no handler runs. A control page shows
// that the same names, written into a page as HTML, do make elements and run: the checks can fail.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValley, type Valley } from '@valley/server';
import { en } from '../../client/src/i18n/en.ts';
import { LAPTOP, PROJECTOR, buildClient, haveChromium, launch, screenshot } from '../support/browser.ts';

const fill = (s: string, p: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(p[k]));
// Names are at most 24 characters, so the payloads are short ones; each sets a global if it runs.
const IMG = '<img src=x onerror=Z=1>';
const SVG = '<svg onload=__pwned=1>';
const BOLD = '<b>Bold</b>';
// The classic long payload does not fit in a name: it is refused before it is sent.
const LONG = '<img src=x onerror="window.__pwned=1">';

/** What markup the page made out of the names, and whether any handler ran. */
async function damage(p: Page) {
  // Run in the page (a string: the tests are compiled without the DOM's types).
  return p.evaluate(`({
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    svgs: document.querySelectorAll('svg[onload]').length,
    bolds: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'Bold').length,
    ran: [window.Z, window.__pwned],
  })`);
}
const harmless = { imgs: 0, svgs: 0, bolds: 0, ran: [undefined, undefined] };

describe.skipIf(!haveChromium)('names that are markup, in Chromium', () => {
  let valley: Valley;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const clientDir = await buildClient();
    valley = await createValley({ dataDir: await mkdtemp(join(tmpdir(), 'valley-e2e-markup-')), clientDir, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${(await valley.listen(0, '127.0.0.1')).port}`;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await valley?.close();
  });

  async function open(size: typeof LAPTOP, path: string): Promise<Page> {
    const p = await (await browser.newContext({ viewport: size })).newPage();
    p.setDefaultTimeout(45_000);
    await p.goto(base + path);
    return p;
  }

  async function joinAs(code: string, name: string) {
    const p = await open(LAPTOP, `/join/${code}?lang=en`);
    await p.getByLabel(en['home.join.name']).fill(name);
    await p.getByRole('button', { name: en['home.join.submit'], exact: true }).click();
    return p;
  }

  it('the host’s roster and the students’ pages show markup names as text, and nothing runs', async () => {
    const host = await open(PROJECTOR, '/?lang=en');
    await host.getByRole('button', { name: en['home.host.submit'] }).click();
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();

    const img = await joinAs(code, IMG);
    await img.waitForURL(/\/play\//);
    const bold = await joinAs(code, BOLD);
    await bold.waitForURL(/\/play\//);
    const svg = await joinAs(code, SVG);
    await svg.waitForURL(/\/play\//);
    // Each student's own page greets them by the name, as text.
    for (const [p, name] of [
      [img, IMG],
      [bold, BOLD],
      [svg, SVG],
    ] as const) {
      await p.getByRole('heading', { name: fill(en['lobby.title'], { name }) }).waitFor();
    }

    // The host's roster lists the three names, character for character.
    const roster = host.locator('.roster-list .name');
    await expect.poll(() => roster.allTextContents()).toEqual([IMG, BOLD, SVG]);
    expect(await host.locator('.roster-list').innerHTML()).toContain('&lt;b&gt;Bold&lt;/b&gt;');

    // A name taken up to case comes back inside the error sentence: still text.
    const again = await joinAs(code, '<B>BOLD</B>');
    await again
      .getByRole('alert')
      .getByText(fill(en['rule.name/taken'], { name: '<B>BOLD</B>' }))
      .waitFor();
    // The long payload is refused by the page before it is sent.
    const long = await joinAs(code, LONG);
    await long
      .getByRole('alert')
      .getByText(fill(en['rule.name/too-long'], { max: 24 }))
      .waitFor();

    // Seated (two at a Two Generals table, one beside a bot), each sees their tablemate's name as text.
    await host.getByRole('button', { name: en['host.autoSeat'] }).click();
    const partner = (name: string) => fill(en['lobby.partner'], { name, seat: '' }).replace(/ \.$/, '');
    await img.getByText(partner(BOLD)).waitFor();
    await bold.getByText(partner(IMG)).waitFor();
    // The host's seat pickers list the names as options' text.
    await expect.poll(() => host.locator('select option').allTextContents()).toEqual(expect.arrayContaining([IMG, BOLD, SVG]));
    await host.getByRole('button', { name: en['host.startAll'] }).click();
    await bold.getByText(partner(IMG)).first().waitFor();

    // Give any handler time to run, then look: no element came from a name, nothing ran.
    await host.waitForTimeout(300);
    for (const [who, p] of Object.entries({ host, img, bold, svg, again, long })) {
      expect(await damage(p), who).toEqual(harmless);
      await screenshot(p, `markup-${who}`);
    }
    // The text itself is there on the student pages, literal.
    expect(await img.locator('body').textContent()).toContain(IMG);
    expect(await bold.locator('body').textContent()).toContain(IMG);
    expect(await img.locator('body').textContent()).toContain(BOLD);

    // The control: the very same names, put in a page as HTML, do make elements and run.
    const control = await (await browser.newContext()).newPage();
    await control.setContent(`<div>${[IMG, SVG, BOLD].join(' ')}</div>`);
    await expect.poll(() => damage(control)).toEqual({ imgs: 1, svgs: 1, bolds: 1, ran: [1, 1] });

    for (const p of [host, img, bold, svg, again, long, control]) await p.context().close();
  });
});
