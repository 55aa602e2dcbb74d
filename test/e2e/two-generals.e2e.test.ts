// A teacher hosts in one browser and two students play a whole Two Generals game in two others,
// through the real pages, in English and in Chinese. Screenshots of every screen are kept.
import { describe, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };
type Lang = keyof typeof catalogues;

describe.skipIf(!haveChromium)('end to end in Chromium', () => {
  const stage = useStage();

  const page = stage.open;

  async function hostSession(lang: Lang) {
    const T = catalogues[lang];
    const host = await page(PROJECTOR, `/?lang=${lang}`);
    await screenshot(host, `home-${lang}-projector`);
    await host.getByRole('button', { name: T['home.host.submit'] }).click();
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    // A short, quiet valley so the test does not wait long: no captures, 0.3–0.5 s crossings.
    await host.locator('input[name=capture]').fill('0');
    await host.locator('input[name=delayMin]').fill('0.3');
    await host.locator('input[name=delayMax]').fill('0.5');
    await host.getByRole('button', { name: T['host.settings.apply'] }).click();
    await host.getByText(T['host.settings.saved']).waitFor();
    return { host, code, T };
  }

  async function joinAs(lang: Lang, code: string, name: string) {
    const T = catalogues[lang];
    const p = await page(LAPTOP, `/join/${code}?lang=${lang}`);
    await p.getByLabel(T['home.join.name']).fill(name);
    await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
    await p.waitForURL(/\/play\//);
    return p;
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`a teacher hosts and two students play a whole game to victory (${lang})`, async () => {
      const { host, code, T } = await hostSession(lang);
      const a = await joinAs(lang, code, lang === 'en' ? 'Ada' : '小安');
      await screenshot(a, `home-join-${lang}-laptop`);
      const b = await joinAs(lang, code, lang === 'en' ? 'Bo' : '小博');
      await a.getByText(T['lobby.waitSeat']).waitFor();
      await screenshot(a, `lobby-${lang}-laptop`);
      await host
        .getByText(lang === 'en' ? 'Bo' : '小博')
        .first()
        .waitFor();
      await screenshot(host, `host-roster-${lang}-projector`);

      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.getByRole('article').first().waitFor();
      await host.getByRole('button', { name: T['host.startAll'] }).click();

      // General A proposes 07:00.
      await a.getByRole('combobox', { name: T['tg.propose.title'] }).selectOption('7');
      await a.getByRole('button', { name: T['tg.propose.send'] }).click();
      await a.getByText(fill(T['tg.msg.to'], { n: 1, seat: T['seat.B'] })).waitFor();
      // It reaches General B, who acknowledges it.
      await b.getByText(fill(T['tg.msg.proposal'], { time: '07:00' })).waitFor();
      await screenshot(b, `seat-B-received-${lang}-laptop`);
      await b.getByRole('button', { name: fill(T['tg.ack'], { n: 1 }) }).click();
      // The acknowledgement reaches A.
      await a.getByText(fill(T['tg.msg.ack'], { n: 1 })).waitFor();
      await screenshot(a, `seat-A-playing-${lang}-laptop`);
      await screenshot(host, `host-playing-${lang}-projector`);

      // B commits first and waits for A; then A commits and the game ends at once.
      await b.getByRole('button', { name: fill(T['tg.decide.attack'], { time: '07:00' }) }).click();
      await b.getByText(fill(T['tg.decided.attack'], { time: '07:00' })).waitFor();
      await screenshot(b, `seat-B-decided-${lang}-laptop`);
      await a.getByRole('button', { name: fill(T['tg.decide.attack'], { time: '07:00' }) }).click();

      const victory = fill(T['tg.outcome.victory'], { time: '07:00' });
      await a.getByText(victory).waitFor();
      await b.getByText(victory).waitFor();
      // The debrief speaks to its reader: "You reached rung 2", and of the other general by name.
      const up = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
      await a.getByText(up(fill(T['tg.ladder.reached'], { seat: T['tg.you'], k: 2 }))).waitFor();
      await screenshot(a, `seat-A-debrief-${lang}-laptop`);
      await screenshot(b, `seat-B-debrief-${lang}-laptop`);
      await host.getByText(T['host.chart.title']).waitFor();
      await screenshot(host, `host-results-${lang}-projector`);
      for (const p of [host, a, b]) await p.context().close();
    });
  }

  it('a refused action is explained to the student in words', async () => {
    const { host, code, T } = await hostSession('en');
    const a = await joinAs('en', code, 'Ann');
    const b = await joinAs('en', code, 'Ben');
    await host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await host.getByRole('button', { name: T['host.startAll'] }).click();
    // General B tries to propose first: the rule says the plan comes from General A.
    await b.getByRole('button', { name: T['tg.propose.send'] }).click();
    await b.getByRole('alert').getByText(T['rule.tg/plan-comes-from-a']).waitFor();
    await screenshot(b, 'seat-B-refused-en-laptop');
    for (const p of [host, a, b]) await p.context().close();
  });

  it('a student who reloads mid-game is back in the same seat with everything they had seen', async () => {
    const { host, code, T } = await hostSession('en');
    const a = await joinAs('en', code, 'Cy');
    const b = await joinAs('en', code, 'Di');
    await host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await host.getByRole('button', { name: T['host.startAll'] }).click();
    await a.getByRole('button', { name: T['tg.propose.send'] }).click();
    await b.getByText(fill(T['tg.msg.proposal'], { time: '06:00' })).waitFor();
    await b.reload();
    await b.getByText(fill(T['tg.msg.proposal'], { time: '06:00' })).waitFor();
    await b.getByRole('button', { name: fill(T['tg.ack'], { n: 1 }) }).click();
    await a.getByText(fill(T['tg.msg.ack'], { n: 1 })).waitFor();
    for (const p of [host, a, b]) await p.context().close();
  });
});
