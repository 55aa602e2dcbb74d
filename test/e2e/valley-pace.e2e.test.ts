// The valley at a human pace, through the real pages: the teacher sets slow motion and a valley seat
// for Two Generals, a student at the valley catches a messenger by clicking while it crosses, holds
// another until the end, and every screen says that a messenger was still held when the game ended.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('the valley at a human pace, in Chromium', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const) {
    it(`a valley student catches a messenger in slow motion, and the end says one was still held (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await stage.open(PROJECTOR, `/?lang=${lang}`);
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const code = (await host.getByTestId('join-code').textContent())!.trim();
      // No captures by the valley's draw; one-second crossings, three times slower: three seconds.
      await host.locator('input[name=capture]').fill('0');
      await host.locator('input[name=delayMin]').fill('1');
      await host.locator('input[name=delayMax]').fill('1');
      await host.locator('select[name=slowMotion]').selectOption('3');
      await host.locator('input[name=valley]').check();
      await host.getByRole('button', { name: T['host.settings.apply'] }).click();
      await host.getByText(T['host.settings.saved']).waitFor();
      await screenshot(host, `pace-settings-${lang}-projector`);

      const names = lang === 'en' ? ['Ada', 'Bo', 'Vic'] : ['小安', '小博', '小维'];
      const students: Page[] = [];
      for (const name of names) {
        const p = await stage.open(LAPTOP, `/join/${code}?lang=${lang}`);
        await p.getByLabel(T['home.join.name']).fill(name);
        await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
        await p.waitForURL(/\/play\//);
        students.push(p);
      }
      await host.getByText(names[2]!).first().waitFor();
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.getByRole('article').first().waitFor();
      await host.getByRole('button', { name: T['host.startAll'] }).click();

      // Which student sits where: the valley's screen tells its story, General A's its own.
      const seatOf = async (p: Page) => {
        for (let i = 0; i < 100; i++) {
          if (await p.getByText(T['tg.story.V']).isVisible()) return 'V';
          if (await p.getByText(T['tg.story.A']).isVisible()) return 'A';
          if (await p.getByText(T['tg.story.B']).isVisible()) return 'B';
          await p.waitForTimeout(100);
        }
        throw new Error('no seat screen');
      };
      const by: Record<string, Page> = {};
      for (const p of students) by[await seatOf(p)] = p;
      const [a, v] = [by['A']!, by['V']!];
      expect(by['B']).toBeDefined();
      await host.getByText(fill(T['host.table.pace'], { k: 3, s: '3' })).waitFor();
      await screenshot(host, `pace-table-card-${lang}-projector`);

      // General A sends the plan; the valley sees it crossing and captures it by clicking, in time.
      await a.getByRole('button', { name: T['tg.propose.send'] }).click();
      const sentAt = Date.now();
      await v.getByRole('button', { name: `${T['valley.capture']} #1` }).click();
      expect(Date.now() - sentAt).toBeLessThan(3000);
      await v.getByText(T['valley.empty']).waitFor();
      await screenshot(v, `pace-valley-seat-${lang}-laptop`);
      // A second plan: the valley holds it, and keeps it until the teacher ends the game.
      await a.getByRole('button', { name: T['tg.propose.send'] }).click();
      await v.getByRole('button', { name: `${T['valley.hold']} #2` }).click();
      await v.getByRole('button', { name: `${T['valley.release']} #2` }).waitFor();
      await screenshot(v, `pace-valley-holding-${lang}-laptop`);
      await host.getByRole('button', { name: T['host.table.end'] }).click();

      const held = T['game.heldAtEnd.one'];
      await v.getByText(held).waitFor();
      await a.getByText(held).waitFor();
      await host.getByText(held).first().waitFor();
      await screenshot(v, `pace-valley-debrief-${lang}-laptop`);
      await screenshot(host, `pace-host-ended-${lang}-projector`);
      // The captured plan never reached General B.
      await expect(a.getByText(T['fate.captured']).count()).resolves.toBeGreaterThan(0);
      for (const p of [host, ...students]) await p.context().close();
    });
  }
});
