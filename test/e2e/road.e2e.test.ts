// The road to Paxos played by hand through the pages: level 1 with a student client and a student as
// the valley, who stops every messenger and captures one; the server is a bot on the projector, which
// names the loss.
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('the road end to end in Chromium', () => {
  const stage = useStage();
  const open = stage.open;

  async function classOf(host: Page, lang: 'en' | 'zh', scenario: string, names: string[]) {
    const T = catalogues[lang];
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    await host.getByLabel(T['host.scenario']).selectOption(scenario);
    await host.locator('input[name=capture]').fill('0');
    await host.locator('input[name=delayMin]').fill('0.5');
    await host.locator('input[name=delayMax]').fill('1');
    await host.locator('input[name=stopEach]').check();
    await host.getByRole('button', { name: T['host.settings.apply'] }).click();
    await host.getByText(T['host.settings.saved']).waitFor();
    const pages: Page[] = [];
    for (const name of names) {
      const p = await open(LAPTOP, `/join/${code}?lang=${lang}`);
      await p.getByLabel(T['home.join.name']).fill(name);
      await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
      await p.waitForURL(/\/play\//);
      pages.push(p);
    }
    await host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await host.getByRole('button', { name: `▶ ${T['host.startAll']}` }).click();
    return pages;
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`level 1: the valley captures a command and the projector names it lost (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await open(PROJECTOR, `/host?lang=${lang}`);
      const [C, V] = await classOf(host, lang, 'naive', ['Cleo', 'Val']);
      const send = (op: string) => C!.getByRole('button', { name: fill(T['naive.send'], { op, to: 'S1' }) });
      await send('x+1').click();
      await screenshot(C!, `road-naive-client-${lang}-laptop`);
      // The valley stopped it: the valley student captures it.
      await V!.getByRole('button', { name: T['road.valley.capture'] }).click();
      await send('x+1').click();
      await screenshot(V!, `road-naive-valley-${lang}-laptop`);
      await V!.getByRole('button', { name: T['road.valley.release'] }).click();
      // The bot server executes what reaches it: the projector shows x = 2 on S1.
      await host
        .getByText(fill(T['road.x'], { x: 2 }))
        .first()
        .waitFor();
      await screenshot(host, `road-naive-host-${lang}-projector`);
      await send('x×2').click();
      await V!.getByRole('button', { name: T['road.valley.release'] }).click();
      // The game ends by itself: the client is done with all three, the server executed two.
      await host
        .getByText(fill(T['road.failure.lost.at'], { command: 'C1#1 x+1', servers: 'S1' }))
        .first()
        .waitFor();
      await screenshot(host, `road-naive-host-lost-${lang}-projector`);
      await C!.getByText(T['road.debrief.title']).waitFor();
      await screenshot(C!, `road-naive-debrief-${lang}-laptop`);
    });
  }
});
