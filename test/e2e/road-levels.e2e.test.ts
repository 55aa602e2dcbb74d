// Every level of the road on screen, in both languages: a student seated at a table of the level (bots
// in the other seats) sees its seat screen, and the projector its table card with every server side by
// side. The screenshots are kept for every level. (Show the failure is played in fake time by the
// integration tests: in real time a showcase game takes up to a minute.)
import { describe, it } from 'vitest';
import { SCENARIO_IDS, scenarios } from '@valley/shared';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };
const LEVELS = SCENARIO_IDS.filter((id) => 'protocol' in scenarios[id]);

describe.skipIf(!haveChromium)('every level of the road in Chromium', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const)
    it(`each level: a student's seat and the projector's table card (${lang})`, async () => {
      const T = catalogues[lang];
      for (const id of LEVELS) {
        const host = await stage.open(PROJECTOR, `/host?lang=${lang}`);
        await host.getByTestId('join-code').waitFor();
        const code = (await host.getByTestId('join-code').textContent())!.trim();
        await host.getByLabel(T['host.scenario']).selectOption(id);
        const student = await stage.open(LAPTOP, `/join/${code}?lang=${lang}`);
        await student.getByLabel(T['home.join.name']).fill('Ada');
        await student.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
        await student.waitForURL(/\/play\//);
        await host.getByRole('button', { name: T['host.autoSeat'] }).click();
        await host.getByRole('button', { name: T['host.startAll'] }).click();
        await student.getByText(T['road.do.title']).waitFor();
        await screenshot(student, `road-level-${id}-seat-${lang}-laptop`);
        await host.locator('article.table-card .road-board').first().waitFor();
        await screenshot(host, `road-level-${id}-host-${lang}-projector`);
        await host.context().close();
        await student.context().close();
      }
    }, 300_000);
});
