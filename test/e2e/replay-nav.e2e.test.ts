// The replay page as a place to move around in: an opened game has "← All games", the browser's Back
// and Forward move between the list and a game without leaving the page, and a game at a moment has
// an address (`…&table=T1&game=1&at=12`) that opens that game at that step, also after a reload.
// And the notes on the diagram's lanes stay inside the drawing, in every example, in both languages.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Replayer, gamesIn, parseLog, px } from '@valley/shared';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, root, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

async function replayerOf(name: string) {
  const parsed = parseLog(await readFile(join(root, `examples/${name}.ndjson`), 'utf8'));
  if (!parsed.ok) throw new Error(`example ${name} unreadable`);
  return new Replayer(gamesIn(parsed.header, parsed.events)[0]!);
}

const params = (p: Page) => new URL(p.url()).searchParams;

describe.skipIf(!haveChromium)('replay navigation in Chromium', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const) {
    it(`Back, Forward, "← All games" and the step in the address (${lang})`, async () => {
      const T = catalogues[lang];
      const n = (await replayerOf('paxos-crash')).length;
      const position = (k: number) => fill(T['replay.position'], { k, n, t: '' }).replace(/ · $/, '');
      const p = await stage.open(PROJECTOR, `/replay?lang=${lang}`);
      await p.getByRole('button', { name: T['replay.example.paxos-crash'] }).click();
      await p.locator('.position', { hasText: position(n) }).waitFor();
      expect(params(p).get('example')).toBe('paxos-crash');
      expect(params(p).get('table')).toBe('T1');
      expect(params(p).get('game')).toBe('1');
      await expect.poll(() => params(p).get('at')).toBe(String(n));

      // To the start and five steps on: the address follows the cursor.
      await p.keyboard.press('Home');
      for (let i = 0; i < 5; i++) await p.keyboard.press('ArrowRight');
      await p.locator('.position', { hasText: position(5) }).waitFor();
      await expect.poll(() => params(p).get('at')).toBe('5');

      // The browser's Back: the list of examples, still on this page; Forward: the game at step 5.
      await p.goBack();
      await p.getByRole('heading', { name: T['replay.examples'] }).waitFor();
      expect(await p.locator('.viewer').count()).toBe(0);
      expect(new URL(p.url()).pathname).toBe('/replay');
      expect(params(p).get('lang')).toBe(lang);
      await p.goForward();
      await p.locator('.position', { hasText: position(5) }).waitFor();

      // "← All games": the list (the example's one game is listed under the examples); Back: the game.
      await p.getByRole('button', { name: T['replay.back'] }).click();
      await p.locator('.game-list').waitFor();
      expect(await p.locator('.viewer').count()).toBe(0);
      expect(params(p).get('table')).toBeNull();
      await screenshot(p, `replay-list-${lang}-projector`);
      await p.goBack();
      await p.locator('.position', { hasText: position(5) }).waitFor();
      // And from the list, the game listed opens it again.
      await p.getByRole('button', { name: T['replay.back'] }).click();
      await p.locator('.game-list button').first().click();
      await p.locator('.position', { hasText: position(n) }).waitFor();
      await p.context().close();
    });
  }

  it('opens a shared address at its step, and a reload keeps it; a wrong game or step is harmless', async () => {
    const replayer = await replayerOf('paxos-crash');
    const n = replayer.length;
    const at = 12;
    const p = await stage.open(LAPTOP, `/replay?lang=en&example=paxos-crash&table=T1&game=1&at=${at}`);
    await p.locator('.position', { hasText: fill(en['replay.position'], { k: at, n, t: '' }).replace(/ · $/, '') }).waitFor();
    // The seats' states are the Replayer's at that step.
    const a1 = (replayer.stateAt(at) as px.State).acceptors.a1!;
    const promised = a1.promised ? px.showBallot(a1.promised) : en['px.card.none'];
    await p
      .locator('.seat-states li')
      .filter({ hasText: fill(en['role.acceptor'], { seat: 'a1' }) })
      .getByText(`${en['px.card.promised']} ${promised}`, { exact: false })
      .waitFor();
    await p.keyboard.press('ArrowRight');
    await expect.poll(() => params(p).get('at')).toBe(String(at + 1));
    await p.reload();
    await p.locator('.position', { hasText: fill(en['replay.position'], { k: at + 1, n, t: '' }).replace(/ · $/, '') }).waitFor();
    await screenshot(p, 'replay-at-step-en-laptop');

    // A step past the end opens the end; a game the log does not have, the list.
    await p.goto(`${stage.base}/replay?lang=en&example=paxos-crash&table=T1&game=1&at=99999`);
    await p.locator('.position', { hasText: fill(en['replay.position'], { k: n, n, t: '' }).replace(/ · $/, '') }).waitFor();
    await p.goto(`${stage.base}/replay?lang=en&example=paxos-crash&table=T9&game=4`);
    await p.locator('.game-list').waitFor();
    expect(await p.getByRole('alert').count()).toBe(0);
    await p.context().close();
  });

  for (const lang of ['en', 'zh'] as const)
    it(`keeps every note inside the diagram, in every example (${lang})`, async () => {
      const T = catalogues[lang];
      const p = await stage.open(PROJECTOR, `/replay?lang=${lang}`);
      const names = (await readdir(join(root, 'examples'))).filter((f) => f.endsWith('.ndjson')).map((f) => f.replace(/\.ndjson$/, ''));
      // The list offers every recorded example.
      await expect.poll(() => p.locator('.replay-pick ul.plain li button').count()).toBe(names.length);
      for (const name of names) {
        await p.goto(`${stage.base}/replay?lang=${lang}&example=${name}`);
        await p.locator('.viewer .spacetime').waitFor();
        const n = (await replayerOf(name)).length;
        await p.locator('.position', { hasText: fill(T['replay.position'], { k: n, n, t: '' }).replace(/ · $/, '') }).waitFor();
        const boxes = await p.locator('.viewer .spacetime').evaluate((svg) => {
          type Box = { x: number; y: number; width: number; height: number };
          const s = svg as unknown as { viewBox: { baseVal: Box }; querySelectorAll(q: string): ArrayLike<{ getBBox(): Box; textContent: string }> };
          const v = s.viewBox.baseVal;
          return {
            view: { x: v.x, y: v.y, width: v.width, height: v.height },
            notes: Array.from(s.querySelectorAll('.mark-text')).map((el) => {
              const b = el.getBBox();
              return { box: { x: b.x, y: b.y, width: b.width, height: b.height }, text: el.textContent };
            }),
          };
        });
        expect(boxes.notes.length, `${name} has notes`).toBeGreaterThan(0);
        for (const { box, text } of boxes.notes) {
          expect(box.x, `${name}: "${text}" starts inside`).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, `${name}: "${text}" ends inside`).toBeLessThanOrEqual(boxes.view.width);
          expect(box.y, `${name}: "${text}" top inside`).toBeGreaterThanOrEqual(0);
          expect(box.y + box.height, `${name}: "${text}" bottom inside`).toBeLessThanOrEqual(boxes.view.height);
        }
        if (name === 'paxos-crash') {
          // What its title says: the acceptor goes down, and comes back.
          await p.locator('.viewer .spacetime .mark-crashed .mark-text', { hasText: T['px.mark.crashed'] }).waitFor();
          await p.locator('.viewer .spacetime .mark-restarted .mark-text', { hasText: T['px.mark.restarted'] }).waitFor();
        }
        await screenshot(p, `replay-notes-${name}-${lang}-projector`);
      }
      await p.context().close();
    });
});
