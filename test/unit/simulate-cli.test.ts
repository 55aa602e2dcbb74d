// The headless simulator, run as a teacher or developer would: node --import tsx scripts/simulate.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deriveSeed, paxos, px, simulate } from '@valley/shared';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

async function sim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/simulate.ts'), ...args], { cwd: root });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const line = (stdout: string, label: string) =>
  stdout
    .split('\n')
    .find((l) => l.startsWith(label))
    ?.slice(label.length)
    .trim();

interface PaxosRow {
  table: number;
  seed: number;
  chosen: string | null;
  messengersSent: number;
  captured: number;
  ballots: number;
  violations: unknown[];
}

describe('npm run simulate', () => {
  it('plays Paxos bot tables in strict mode, summarises them and writes one object per table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-sim-'));
    const file = join(dir, 'out.json');
    const r = await sim('--scenario', 'paxos', '--tables', '4', '--seed', '1', '--json', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Paxos, strict mode: 4 tables from seed 1; 2 proposers, 3 acceptors, 1 learner; loss 0.1; crashes off');
    const rows = JSON.parse(await readFile(file, 'utf8')) as PaxosRow[];
    expect(rows.map((x) => x.seed)).toEqual([0, 1, 2, 3].map((i) => deriveSeed(1, i)));
    expect(line(r.stdout, 'chose a value:')).toBe(`${rows.filter((x) => x.chosen !== null).length}/4`);
    expect(line(r.stdout, 'safety violations:')).toBe('none');
    expect(line(r.stdout, 'messengers until chosen:')).toMatch(/^mean \d+(\.\d)?, max \d+$/);
    // Each table is the game simulate() plays with its seed: a table can be replayed alone.
    for (const row of rows) {
      const v = paxos.verdict(simulate(paxos, px.defaultConfig, row.seed).state as px.State);
      expect(row).toMatchObject({ chosen: v.chosen, messengersSent: v.messengersSent, captured: v.captured, ballots: v.ballots, violations: [] });
    }
  });

  it('in free mode a promise-forgetting acceptor lets some tables choose two values, and each one is reported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-sim-'));
    const file = join(dir, 'free.json');
    const r = await sim(
      '--scenario',
      'paxos',
      '--tables',
      '100',
      '--seed',
      '7',
      '--mode',
      'free',
      '--proposers',
      '3',
      '--loss',
      '0.2',
      '--crashes',
      '--json',
      file,
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain('free mode');
    expect(r.stdout.split('\n')[0]).toContain('crashes on; a1 forgets its promises');
    const rows = JSON.parse(await readFile(file, 'utf8')) as PaxosRow[];
    const unsafe = rows.filter((x) => x.violations.length > 0);
    expect(unsafe.length).toBeGreaterThan(0);
    expect(line(r.stdout, 'safety violations:')).toBe(`${unsafe.length}/100 tables chose two values`);
    expect(Number(line(r.stdout, 'rules broken:'))).toBeGreaterThan(0);
    for (const x of unsafe.slice(0, 10)) expect(r.stdout).toContain(`table ${x.table} (seed ${x.seed}): `);
  });

  it('plays Two Generals bot tables and counts the outcomes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-sim-'));
    const file = join(dir, 'tg.json');
    const r = await sim('--scenario', 'two-generals', '--tables', '20', '--seed', '2', '--loss', '0.3', '--json', file);
    expect(r.code).toBe(0);
    const rows = JSON.parse(await readFile(file, 'utf8')) as { outcome: string; seed: number }[];
    expect(rows).toHaveLength(20);
    for (const [label, outcome] of [
      ['victory:', 'victory'],
      ['no battle:', 'noBattle'],
      ['defeat:', 'defeat'],
    ] as const) {
      expect(line(r.stdout, label)).toBe(`${rows.filter((x) => x.outcome === outcome).length}/20`);
    }
  });

  it('refuses bad arguments with a clear message, the usage and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['--scenario', 'raft', '--tables', '1', '--seed', '1'], 'unknown scenario "raft"'],
      [['--scenario', 'paxos', '--tables', '2', '--seed', '1', '--acceptors', '9'], '--acceptors must be a whole number from 3 to 7 (got "9")'],
      [['--scenario', 'two-generals', '--tables', '2', '--seed', '1', '--mode', 'free'], '--mode is not an option of Two Generals'],
      [['--scenario', 'paxos', '--tables', '2', '--seed', '1', '--loss', '2'], '--loss must be a number from 0 to 1 (got "2")'],
      [['--scenario', 'paxos', '--seed', '1'], '--tables is required'],
      [['--scenario', 'paxos', '--tables', '2', '--seed', '1', '--bogus'], "Unknown option '--bogus'"],
    ];
    const results = await Promise.all(cases.map(([args]) => sim(...args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toContain(cases[i]![1]);
      expect(r.stderr).toContain('usage: npm run simulate');
      expect(r.stdout).toBe('');
    });
  });
  it("a road level: --set sets any setting (checked by its schema); the summary counts tables per failure id and --json lists each table's", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-sim-'));
    const file = join(dir, 'road.json');
    const r = await sim('--scenario', 'naive', '--tables', '40', '--seed', '5', '--set', 'servers=2', '--set', 'captureRate=0.4', '--json', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 server(s)');
    const rows = JSON.parse(await readFile(file, 'utf8')) as { failures: string[]; servers: unknown[] }[];
    expect(rows).toHaveLength(40);
    expect(rows.every((row) => row.servers.length === 2)).toBe(true);
    const lost = rows.filter((row) => row.failures.includes('lost')).length;
    expect(line(r.stdout, 'lost')).toBe(`${lost}/40`);
    expect(lost).toBeGreaterThan(0);
    const bad = await sim('--scenario', 'naive', '--tables', '1', '--seed', '5', '--set', 'servers=9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--set: servers:');
    const unknown = await sim('--scenario', 'naive', '--tables', '1', '--seed', '5', '--set', 'wings=2');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no setting "wings"');
  });
});
