// A teacher opens the host console on a second device: the other browser (its own localStorage: no host
// key) — on the console's own address, or from the home page — shows a pairing code; the teacher types
// it into the console under "Add another device"; the other browser opens the console and steers the
// same session. A wrong code is refused in words. In English and in Chinese; screenshots of each step.
import { describe, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('the host console on another device', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const) {
    it(`pairs a second browser: it shows a code, the teacher types it in (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await stage.open(PROJECTOR, `/?lang=${lang}`);
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const joinCode = (await host.getByTestId('join-code').textContent())!.trim();
      const consoleUrl = new URL(host.url()).pathname;
      await host.getByRole('button', { name: T['pair.offer'] }).click();

      /** The teacher types the code another device shows into the console. */
      const typeIn = async (code: string) => {
        await host.getByLabel(T['pair.offer.label']).fill(code);
        await host.getByRole('button', { name: T['pair.offer.submit'] }).click();
      };
      const shownCode = async (p: Awaited<ReturnType<typeof stage.open>>) => {
        await p.getByRole('button', { name: T['pair.enter.submit'] }).click();
        await p.getByTestId('pair-code').waitFor();
        return (await p.getByTestId('pair-code').textContent())!.trim();
      };

      // The console's address opened in a browser without the key: it explains and offers a code.
      const other = await stage.open(LAPTOP, `${consoleUrl}?lang=${lang}`);
      await other.getByText(T['host.noToken']).waitFor();
      const code = await shownCode(other);
      await screenshot(other, `pair-wait-${lang}-laptop`);
      // A mistyped code is refused in words; the right one (typed in lower case) lets the device in.
      await typeIn('WRONG234');
      await host.getByRole('alert').getByText(T['rule.auth/bad-pair-code']).waitFor();
      await typeIn(code.toLowerCase());
      await host.getByText(T['pair.offer.done']).waitFor();
      await screenshot(host, `pair-offer-${lang}-projector`);
      await other.getByTestId('join-code').filter({ hasText: joinCode }).waitFor();
      // It steers the same session: a table added there appears on the projector.
      await other.getByRole('button', { name: T['host.addTable'] }).click();
      await host.getByRole('article', { name: T['host.table'].replace('{id}', 'T1') }).waitFor();
      await screenshot(other, `pair-console-${lang}-laptop`);

      // From the home page; the code already used is refused, a new one works.
      const third = await stage.open(LAPTOP, `/?lang=${lang}`);
      await third.getByText(T['pair.enter.title']).click();
      await screenshot(third, `pair-home-${lang}-laptop`);
      await typeIn(code);
      await host.getByRole('alert').getByText(T['rule.auth/bad-pair-code']).waitFor();
      await typeIn(await shownCode(third));
      await third.getByTestId('join-code').filter({ hasText: joinCode }).waitFor();
    });
  }
});
