// A Paxos table played through the pages: one proposer, three acceptors and a learner reach a chosen
// value while the host crashes and restarts an acceptor; a broken rule is refused with its explanation.
import type { Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('Paxos end to end in Chromium', () => {
  const stage = useStage();
  const open = stage.open;

  for (const lang of ['en', 'zh'] as const) {
    it(`a proposer, three acceptors and a learner choose a value through the pages (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await open(PROJECTOR, `/host?lang=${lang}`);
      await host.getByTestId('join-code').waitFor();
      const code = (await host.getByTestId('join-code').textContent())!.trim();
      await host.getByLabel(T['host.scenario']).selectOption('paxos');
      await host.locator('input[name=proposers]').fill('1');
      await host.locator('input[name=learners]').fill('1');
      await host.locator('input[name=capture]').fill('0');
      await host.locator('input[name=delayMin]').fill('0.3');
      await host.locator('input[name=delayMax]').fill('0.5');
      await host.getByRole('button', { name: T['host.settings.apply'] }).click();
      await host.getByText(T['host.settings.saved']).waitFor();

      const seats: Record<string, Page> = {};
      for (const [seat, name] of [
        ['A', 'Pia'],
        ['a1', 'Ari'],
        ['a2', 'Bea'],
        ['a3', 'Cal'],
        ['l1', 'Lu'],
      ] as const) {
        const p = await open(LAPTOP, `/join/${code}?lang=${lang}`);
        await p.getByLabel(T['home.join.name']).fill(name);
        await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
        await p.waitForURL(/\/play\//);
        seats[seat] = p;
      }
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.getByRole('button', { name: T['host.startAll'] }).click();
      const P = seats.A!;
      await P.getByRole('button', { name: fill(T['px.prepare.send'], { ballot: '1.A' }) }).click();

      // Accept before any promise has arrived breaks Phase 2a's rule: refused, with its reason.
      await P.getByRole('button', { name: fill(T['px.ballot.sendAccept'], { ballot: '1.A', value: 'dawn' }).replace('dawn', '…') }).waitFor();
      await P.getByLabel(T['px.ballot.value']).fill('dawn');
      await P.getByRole('button', { name: fill(T['px.ballot.sendAccept'], { ballot: '1.A', value: 'dawn' }) }).click();
      await P.getByRole('alert')
        .getByText(fill(T['rule.paxos/accept-without-majority'], { ballot: '1.A', promises: 0, needed: 2 }))
        .waitFor();
      await screenshot(P, `paxos-proposer-refused-${lang}-laptop`);

      for (const a of ['a1', 'a2', 'a3']) {
        await seats[a]!.getByRole('button', { name: `${T['px.act.promise']} #${a.slice(1)}` }).click();
      }
      await screenshot(seats.a1!, `paxos-acceptor-${lang}-laptop`);
      await P.getByText(T['px.ballot.majority']).waitFor();
      await screenshot(P, `paxos-proposer-majority-${lang}-laptop`);

      // The host crashes a3 before the Accept reaches it: it is lost there; a1 and a2 are enough.
      await host.getByRole('button', { name: `${T['host.px.crash']} a3` }).click();
      await seats.a3!.getByText(T['px.crashed']).waitFor();
      await screenshot(seats.a3!, `paxos-acceptor-crashed-${lang}-laptop`);
      await P.getByRole('button', { name: fill(T['px.ballot.sendAccept'], { ballot: '1.A', value: 'dawn' }) }).click();
      for (const a of ['a1', 'a2']) {
        await seats[a]!.getByRole('button', { name: `${T['px.act.accept']} #${Number(a.slice(1)) + 6}` }).click();
      }
      await host.locator('.chosen-marker.is-chosen').waitFor();
      await screenshot(host, `paxos-host-chosen-${lang}-projector`);
      await host.getByRole('button', { name: `${T['host.px.restart']} a3` }).click();
      await seats.a3!.getByText(T['px.crashed']).waitFor({ state: 'detached' });

      const L = seats.l1!;
      // Both Accepted messages must have reached the learner before it may declare.
      await L.getByText(fill(T['px.tally.row'], { value: 'dawn', ballot: '1.A', k: 2, q: 2 })).waitFor();
      await L.getByRole('button', { name: fill(T['px.declare'], { value: 'dawn' }) }).click();
      await L.locator('.outcome')
        .getByText(fill(T['px.debrief.chosen'], { value: 'dawn', ballot: '1.A' }))
        .waitFor();
      await screenshot(L, `paxos-learner-debrief-${lang}-laptop`);
      await P.getByText(T['px.debrief.safe']).waitFor();
      await screenshot(P, `paxos-proposer-debrief-${lang}-laptop`);
      await host.getByText(`${T['host.results']} · ${T['scenario.paxos']}`).waitFor();
      await screenshot(host, `paxos-host-results-${lang}-projector`);
      for (const p of [host, ...Object.values(seats)]) await p.context().close();
    });
  }
});
