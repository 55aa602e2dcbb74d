// A teacher opens the host console on a second device: the console gives a pairing code, the other
// browser (its own localStorage: no host key) types it in — on the console's own address, or from the
// home page — and steers the same session. In English and in Chinese; screenshots of each step.
import { describe, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('the host console on another device', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const) {
    it(`pairs a second browser with a code, on the console's address and from the home page (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await stage.open(PROJECTOR, `/?lang=${lang}`);
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const joinCode = (await host.getByTestId('join-code').textContent())!.trim();
      const consoleUrl = new URL(host.url()).pathname;

      const pairCode = async () => {
        await host.getByRole('button', { name: `⇄ ${T['pair.offer']}` }).click();
        await host.getByTestId('pair-code').waitFor();
        return (await host.getByTestId('pair-code').textContent())!.trim();
      };

      // The console's address opened in a browser without the key: it says so and asks for a code.
      const other = await stage.open(LAPTOP, `${consoleUrl}?lang=${lang}`);
      await other.getByText(T['host.noToken']).waitFor();
      await other.getByLabel(T['pair.enter.label']).fill('WRONG123');
      await other.getByRole('button', { name: T['pair.enter.submit'] }).click();
      await other.getByRole('alert').getByText(T['rule.auth/bad-pair-code']).waitFor();
      await screenshot(other, `pair-refused-${lang}-laptop`);
      const code = await pairCode();
      await screenshot(host, `pair-offer-${lang}-projector`);
      await other.getByLabel(T['pair.enter.label']).fill(code.toLowerCase());
      await other.getByRole('button', { name: T['pair.enter.submit'] }).click();
      await other.getByTestId('join-code').filter({ hasText: joinCode }).waitFor();
      // It steers the same session: a table added there appears on the projector.
      await other.getByRole('button', { name: T['host.addTable'] }).click();
      await host.getByRole('article', { name: T['host.table'].replace('{id}', 'T1') }).waitFor();
      await screenshot(other, `pair-console-${lang}-laptop`);

      // From the home page, with a fresh code (the first one is spent).
      const third = await stage.open(LAPTOP, `/?lang=${lang}`);
      await third.getByText(T['pair.enter.title']).click();
      await screenshot(third, `pair-home-${lang}-laptop`);
      await third.getByLabel(T['pair.enter.label']).fill(code);
      await third.getByRole('button', { name: T['pair.enter.submit'] }).click();
      await third.getByRole('alert').getByText(T['rule.auth/bad-pair-code']).waitFor();
      await third.getByLabel(T['pair.enter.label']).fill(await pairCode());
      await third.getByRole('button', { name: T['pair.enter.submit'] }).click();
      await third.getByTestId('join-code').filter({ hasText: joinCode }).waitFor();
    });
  }
});
