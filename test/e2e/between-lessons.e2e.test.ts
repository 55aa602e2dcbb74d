// Between rounds and lessons, through the real console in Chromium: the teacher picks the address to
// project among several interfaces, reads a scenario's briefing, seats a class, moves it from finished
// Two Generals tables to Paxos with "Seat everyone", removes a table and clears the results from the
// screen — in English and Chinese. The console is shot at laptop and projector sizes with 0, 3 and
// 12 tables, and nothing on it may overflow sideways.
import type { NetworkInterfaceInfo } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';
import { playerClient, type Client } from '../support/server.ts';

const catalogues = { en, zh };
const nic = (address: string): NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/24` }) as NetworkInterfaceInfo;
const interfaces = () => ({ eth0: [nic('192.0.2.10')], wlan0: [nic('198.51.100.7')] });

/**
 * Nothing wider than the window, and no card's content wider than its card; no heading of the class
 * results' table and no name in it broken over two lines (a squeezed column broke Chinese names letter by letter).
 */
async function expectNoOverflow(page: Page, label: string) {
  const over = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.results-table th, .results-table .name')) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      if (lines > 1) out.push(`results "${el.textContent}" on ${lines} lines`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('.table-card, .host-side > *, .tables-head')) {
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.className || el.tagName} ${el.getAttribute('data-table') ?? ''}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
  expect(over, label).toEqual([]);
}

/** The console at both sizes, in this state: screenshots kept, overflow checked. */
async function shoot(host: Page, name: string) {
  for (const [size, dims] of [
    ['laptop', LAPTOP],
    ['projector', PROJECTOR],
  ] as const) {
    await host.setViewportSize(dims);
    await host.waitForTimeout(150);
    await screenshot(host, `${name}-${size}`);
    await expectNoOverflow(host, `${name}-${size}`);
  }
}

describe.skipIf(!haveChromium)('between rounds and lessons, in Chromium', () => {
  const stage = useStage({ networkInterfaces: interfaces }, '0.0.0.0');
  const bots: Client[] = [];
  afterAll(() => bots.splice(0).forEach((c) => c.close()));

  for (const lang of ['en', 'zh'] as const) {
    it(`a teacher moves the class from Two Generals to Paxos, removes a table and clears the results (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await stage.open(LAPTOP, `/?lang=${lang}`);
      host.on('dialog', (d) => void d.accept());
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const code = (await host.getByTestId('join-code').textContent())!.trim();

      // Two interfaces: the teacher picks the Wi-Fi one; the address and the QR code follow, and a reload keeps it.
      const pick = host.getByRole('combobox', { name: T['host.address'] });
      await pick.waitFor();
      await expect.poll(() => host.locator('.join-url').textContent()).toContain('192.0.2.10');
      await pick.selectOption({ label: `198.51.100.7:${new URL(stage.base).port} (wlan0)` });
      await expect.poll(() => host.locator('.join-url').textContent()).toContain('198.51.100.7');
      expect(await host.locator('.qr').getAttribute('aria-label')).toContain(`198.51.100.7:${new URL(stage.base).port}/join/${code}`);
      await host.reload();
      await host.getByTestId('join-code').waitFor();
      await expect.poll(() => host.locator('.join-url').textContent()).toContain('198.51.100.7');

      // The briefing of what new tables play, to read out.
      await host.getByText(T['host.brief']).click();
      await host.getByText(T['two-generals.brief']).waitFor();
      await shoot(host, `host-between-0-tables-${lang}`);

      // A quiet valley, four students, two tables.
      await host.locator('input[name=capture]').fill('0');
      await host.getByRole('button', { name: T['host.settings.apply'] }).click();
      await host.getByText(T['host.settings.saved']).waitFor();
      const names = lang === 'en' ? ['Ada', 'Bo', 'Cy', 'Di'] : ['小安', '小博', '小慈', '小迪'];
      for (const n of names) bots.push(await playerClient(stage.base, code, n));
      await host.getByText(names[3]!).first().waitFor();
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.locator('article[data-table=T2]').waitFor();
      await host.getByRole('status').filter({ hasText: T['scenario.two-generals'] }).waitFor();
      await host.getByRole('button', { name: T['host.startAll'] }).click();
      for (const id of ['T1', 'T2']) await host.locator(`article[data-table=${id}]`).getByRole('button', { name: T['host.table.end'] }).click();
      await expect.poll(() => bots.slice(-4).every((b) => (b.view?.game?.view as { status?: string } | undefined)?.status === 'ended')).toBe(true);

      // Paxos next: "Seat everyone" moves the class from the finished tables and says what it did.
      await host.locator('select[name=scenario]').selectOption('paxos');
      await host.getByText(T['paxos.brief']).waitFor();
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.locator('article[data-table=T3]').waitFor();
      // Nobody was still in a game: the report does not say "0 still in a game stay where they are".
      const said = fill(T['report.session/seated.nonePlaying'], { placed: 4, moved: 4, tables: 1, scenario: T['scenario.paxos'] });
      await host.getByRole('status').filter({ hasText: said }).waitFor();
      await expect.poll(() => bots.slice(-4).every((b) => b.view?.seat?.scenario === 'paxos')).toBe(true);
      // Pressed again, it says why there is nothing to do.
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      // Everyone already sits at a Paxos table and nobody is playing: said so, with no "0 are in a game".
      const nobody = fill(T['rule.session/nobody-to-seat.allSeated'], { there: 4, scenario: T['scenario.paxos'] });
      await host.getByRole('alert').filter({ hasText: nobody }).waitFor();
      await shoot(host, `host-between-3-tables-${lang}`);

      // The old Two Generals tables go; their results stay until cleared.
      await host.getByRole('button', { name: fill(T['host.removeTable.label'], { id: 'T1' }) }).click();
      await host.locator('article[data-table=T1]').waitFor({ state: 'detached' });
      await host
        .getByRole('status')
        .filter({ hasText: fill(T['report.session/table-removed'], { table: 'T1', students: 0 }) })
        .waitFor();
      await host.getByRole('button', { name: T['host.results.clear'] }).click();
      await host.getByText(fill(T['host.results.cleared'], { n: 2 })).waitFor();
      await host.getByText(T['host.results.empty']).waitFor();

      // A big class: twelve tables on the console, still nothing overflowing.
      for (let k = 0; k < 10; k++) await host.getByRole('button', { name: T['host.addTable'] }).click();
      await expect.poll(() => host.locator('article.table-card').count()).toBe(12);
      await shoot(host, `host-between-12-tables-${lang}`);
    });
  }
});

describe.skipIf(!haveChromium)('a server behind a load balancer, in Chromium', () => {
  // VALLEY_PUBLIC_URL: students are given the school's address, not this machine's interfaces.
  const stage = useStage({ networkInterfaces: interfaces, publicUrl: 'http://valley.school.example' }, '0.0.0.0');

  it('the console projects the public address and its QR code, with no picker of the machine’s interfaces', async () => {
    const T = catalogues.en;
    const host = await stage.open(PROJECTOR, '/?lang=en');
    await host.getByRole('button', { name: T['home.host.submit'] }).click();
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    await expect.poll(() => host.locator('.join-url').textContent()).toContain(`valley.school.example/join/${code}`);
    expect(await host.locator('.qr').getAttribute('aria-label')).toBe(`http://valley.school.example/join/${code}`);
    expect(await host.getByRole('combobox', { name: T['host.address'] }).count()).toBe(0);
    await screenshot(host, 'host-public-url-en-projector');
  });
});
