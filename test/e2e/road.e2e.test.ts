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

  async function classOf(host: Page, lang: 'en' | 'zh', scenario: string, names: string[], stopEach = true) {
    const T = catalogues[lang];
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    await host.getByLabel(T['host.scenario']).selectOption(scenario);
    await host.locator('input[name=capture]').fill('0');
    await host.locator('input[name=delayMin]').fill('0.5');
    await host.locator('input[name=delayMax]').fill('1');
    if (stopEach) await host.locator('input[name=stopEach]').check();
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
    await host.getByRole('button', { name: T['host.startAll'] }).click();
    return pages;
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`level 1: the valley captures a command and the projector names it lost (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await open(PROJECTOR, `/host?lang=${lang}`);
      const [C, V] = await classOf(host, lang, 'naive', ['Cleo', 'Val']);
      // One tap before play: the projector counts the guesses.
      await C!.getByRole('button', { name: T['road.predict.no'] }).click();
      await C!.getByText(fill(T['road.predict.yours'], { answer: T['road.predict.no'] })).waitFor();
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
      // After the failure, one line each; the projector lists them with no names.
      await C!.getByPlaceholder(T['road.reflect.placeholder']).fill('Wait for the server to confirm each command');
      await C!.getByRole('button', { name: T['road.reflect.send'] }).click();
      await host.getByText('“Wait for the server to confirm each command”').waitFor();
      await screenshot(C!, `road-naive-debrief-${lang}-laptop`);
      await screenshot(host, `road-naive-host-reflections-${lang}-projector`);
      // The next level's fix was hidden: the host reveals it to the class.
      await host.getByRole('button', { name: T['road.host.reveal'] }).click();
      await C!.getByText(T['naive.fix']).waitFor();
    });

    it(`level 3: the valley lets the two clients' commands reach the servers in different orders — diverged (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await open(PROJECTOR, `/host?lang=${lang}`);
      const [C1, C2, V] = await classOf(host, lang, 'two-clients', ['Cleo', 'Cato', 'Val']);
      await C1!.getByRole('button', { name: fill(T['acks.send'], { op: 'x+1', to: 'S1, S2' }) }).click();
      await C2!.getByRole('button', { name: fill(T['acks.send'], { op: 'x×2', to: 'S1, S2' }) }).click();
      const release = (route: string) => V!.locator('tr', { hasText: route }).getByRole('button', { name: T['road.valley.release'] }).click();
      await screenshot(V!, `road-two-clients-valley-${lang}-laptop`);
      // S1 gets C1's x+1 first, S2 gets C2's x×2 first: then each gets the other.
      await release('C1 → S1');
      await release('C2 → S2');
      await host
        .locator('.road-server', { hasText: 'S1' })
        .getByText(fill(T['road.x'], { x: 2 }))
        .waitFor();
      await host
        .locator('.road-server', { hasText: 'S2' })
        .getByText(fill(T['road.x'], { x: 2 }))
        .waitFor();
      await release('C1 → S2');
      await release('C2 → S1');
      // S1: (1+1)×2 = 4; S2: 1×2+1 = 3. The badge says so the moment it happens.
      await host.locator('.badge-failure', { hasText: T['road.failure.diverged'] }).waitFor();
      await host.getByText(fill(T['road.failure.diverged.at'], { a: 'S1', b: 'S2', x: 4 })).waitFor();
      await screenshot(host, `road-two-clients-host-diverged-${lang}-projector`);
      await screenshot(C1!, `road-two-clients-client-${lang}-laptop`);
      await host.getByRole('button', { name: T['host.table.end'] }).click();
      await C2!.getByText(T['road.debrief.title']).waitFor();
      await screenshot(C2!, `road-two-clients-debrief-${lang}-laptop`);
    });

    it(`level 6: A's slow execute arrives after B stored its own command — diverged, two values (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await open(PROJECTOR, `/host?lang=${lang}`);
      // Six students: two clients, three servers, the valley. Messengers cross quickly; the servers
      // decide when to act, which is what makes one execute "slow".
      const [A, B, S1, S2, S3] = await classOf(host, lang, 'tickets', ['Ann', 'Ben', 'Sia', 'Sol', 'Sue', 'Val'], false);
      const click = (p: Page, key: keyof typeof T, params: Record<string, string | number>) => p.getByRole('button', { name: fill(T[key], params) }).click();
      await click(A!, 'tickets.ask', { t: 1, to: 'S1, S2, S3' });
      for (const s of [S1!, S2!, S3!]) await click(s, 'tickets.issue', { t: 1, tMax: 0 });
      await click(A!, 'tickets.propose', { op: 'x+1', command: 'C1#1', t: 1, to: 'S1, S2, S3' });
      for (const s of [S1!, S2!]) await click(s, 'tickets.store', { op: 'x+1', command: 'C1#1', t: 1 });
      await screenshot(S1!, `road-tickets-server-${lang}-laptop`);
      await click(A!, 'tickets.execute', { t: 1 });
      // S1 executes A's command at once; S2 and S3 are slow.
      await click(S1!, 'road.execute', { op: 'x+1' });
      // B asks for ticket 1: S1, S2 and S3 have issued 1 already, so it gets nacks, and asks for 2.
      await click(B!, 'tickets.ask', { t: 1, to: 'S1, S2, S3' });
      // (S3 could also nack A's propose it never stored: the nack for B's request is the one on B's messenger)
      const fromB = (p: Page) => p.locator('.inbox li', { hasText: 'C2' }).filter({ hasText: fill(T['tickets.msg.ask'], { t: 1 }) });
      for (const s of [S2!, S3!])
        await fromB(s)
          .getByRole('button', { name: fill(T['tickets.nack'], { tMax: 1 }) })
          .click();
      await click(B!, 'tickets.ask', { t: 2, to: 'S1, S2, S3' });
      for (const s of [S2!, S3!]) await click(s, 'tickets.issue', { t: 2, tMax: 1 });
      await click(B!, 'tickets.propose', { op: 'x×2', command: 'C2#1', t: 2, to: 'S1, S2, S3' });
      for (const s of [S2!, S3!]) await click(s, 'tickets.store', { op: 'x×2', command: 'C2#1', t: 2 });
      await screenshot(B!, `road-tickets-client-${lang}-laptop`);
      // A's execute finally gets its turn at S2: it executes what it stored by now, B's x×2.
      await click(S2!, 'road.execute', { op: 'x×2' });
      await host.locator('.badge-failure', { hasText: T['road.failure.diverged'] }).waitFor();
      await host.locator('.badge-failure', { hasText: T['road.failure.two-values'] }).waitFor();
      await screenshot(host, `road-tickets-host-diverged-${lang}-projector`);
      await host.getByRole('button', { name: T['host.table.end'] }).click();
      await A!.getByText(T['road.debrief.title']).waitFor();
      await screenshot(A!, `road-tickets-debrief-${lang}-laptop`);
    });
  }
});
