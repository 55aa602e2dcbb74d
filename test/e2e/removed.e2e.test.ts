// What each person is told when a connection ends: a student the teacher removed hears only that, a
// student whose Wi-Fi drops hears that their seat is kept, and the teacher's console, which has no seat,
// says only that it is reconnecting. In English and Chinese, at laptop size, with screenshots.
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('when a connection ends, in Chromium', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const) {
    it(`a removed student sees only that the teacher removed them; a dropped one that the seat is kept; the console no seat (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await stage.open(LAPTOP, `/?lang=${lang}`);
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const code = (await host.getByTestId('join-code').textContent())!.trim();
      const join = async (name: string) => {
        const p = await stage.open(LAPTOP, `/join/${code}?lang=${lang}`);
        await p.getByLabel(T['home.join.name']).fill(name);
        await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
        await p.waitForURL(/\/play\//);
        return p;
      };
      const [ada, bo] = lang === 'en' ? ['Ada', 'Bo'] : ['小安', '小博'];
      const a = await join(ada);
      const b = await join(bo);
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.getByRole('button', { name: T['host.startAll'] }).click();
      await a.getByRole('button', { name: T['tg.propose.send'] }).click();
      await a.getByText(fill(T['tg.msg.to'], { n: 1, seat: T['seat.B'] })).waitFor();

      // The teacher removes Ada, seated in a running game, and confirms.
      host.once('dialog', (d) => void d.accept());
      await host.getByRole('button', { name: `${T['host.remove']} ${ada}` }).click();
      await a.getByText(T['lobby.removed']).waitFor();
      // The server ends her connection right after telling her: give the page time to notice, then
      // nothing may say her seat is kept or that it is trying again.
      await a.waitForTimeout(1500);
      await expect(a.getByText(T['lobby.removed']).count()).resolves.toBe(1);
      await expect(a.getByText(T['join.offline']).count()).resolves.toBe(0);
      await expect(a.getByRole('status').count()).resolves.toBe(0);
      await screenshot(a, `removed-student-${lang}-laptop`);

      // Bo's Wi-Fi drops: he is told his seat is kept.
      await b.context().setOffline(true);
      await b.getByText(T['join.offline']).waitFor();
      await screenshot(b, `offline-student-${lang}-laptop`);
      // While his lid is closed, the teacher removes him too: when he is back he is told so, not that
      // his key is bad.
      host.once('dialog', (d) => void d.accept());
      await host.getByRole('button', { name: `${T['host.remove']} ${bo}` }).click();
      await host.getByRole('button', { name: `${T['host.remove']} ${bo}` }).waitFor({ state: 'detached' });
      await b.context().setOffline(false);
      await b.getByText(T['lobby.removed']).waitFor();
      await expect(b.getByText(T['rule.auth/bad-token']).count()).resolves.toBe(0);
      await expect(b.getByText(T['join.offline']).count()).resolves.toBe(0);
      await screenshot(b, `removed-while-away-${lang}-laptop`);

      // The teacher's console loses its connection: it says it is reconnecting, and nothing of seats.
      await host.context().setOffline(true);
      await host.getByText(T['host.offline']).waitFor();
      await expect(host.getByText(T['join.offline']).count()).resolves.toBe(0);
      await screenshot(host, `host-offline-${lang}-laptop`);
      // And it clears once the connection is back.
      await host.context().setOffline(false);
      await host.getByText(T['host.offline']).waitFor({ state: 'detached' });
      for (const p of [host, a, b]) await p.context().close();
    });
  }
});
