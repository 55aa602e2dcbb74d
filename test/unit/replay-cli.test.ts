import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LOG_FORMAT, encodeLine, paxos, px, type LogEvent, type SessionEvent } from '@valley/shared';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

async function replay(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/replay.ts'), ...args], { cwd: root });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A free-mode Paxos game, played by hand, in which two values are chosen. */
function twoValuesLog(): string {
  const config: px.Config = { ...px.defaultConfig, mode: 'free', captureRate: 0, delayMinMs: 10, delayMaxMs: 10, proposers: 2, acceptors: 3, learners: 0 };
  let state = paxos.init(config, 1, 1000);
  let at = 1000;
  const events: unknown[] = [];
  const act = (seat: string, action: px.Action) => {
    const r = paxos.decide(state, seat, action, at);
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    for (const e of r.events) {
      state = paxos.apply(state, e, at);
      events.push({ at, e });
    }
  };
  const settle = () => {
    at += 10;
    for (const e of paxos.tick(state, at)) {
      state = paxos.apply(state, e, at);
      events.push({ at, e });
    }
  };
  const inbox = (seat: string) => paxos.view(state, seat).inbox;
  act('A', { type: 'prepare', round: 1, to: ['a1', 'a2', 'a3'] });
  settle();
  for (const a of ['a1', 'a2', 'a3']) act(a, { type: 'promise', n: inbox(a)[0]!.n });
  settle();
  act('A', { type: 'accept', round: 1, value: 'dawn', to: ['a1', 'a2'] });
  settle();
  for (const a of ['a1', 'a2']) act(a, { type: 'acceptProposal', n: inbox(a).at(-1)!.n });
  act('B', { type: 'prepare', round: 2, to: ['a1', 'a2', 'a3'] });
  settle();
  for (const a of ['a1', 'a2', 'a3']) act(a, { type: 'promise', n: inbox(a).at(-1)!.n });
  settle();
  act('B', { type: 'accept', round: 2, value: 'dusk', to: ['a1', 'a2', 'a3'] }); // ignores the reported dawn
  settle();
  for (const a of ['a2', 'a3']) act(a, { type: 'acceptProposal', n: inbox(a).at(-1)!.n });
  const opening: SessionEvent[] = [
    { type: 'tableCreated', table: 'T1', scenario: 'paxos', seats: paxos.seatsFor(config) },
    { type: 'gameStarted', table: 'T1', game: 1, scenario: 'paxos', seed: 1, config },
  ];
  const lines = [
    ...opening.map((e, i) => ({ ...e, seq: i + 1, at: 1000 }) as LogEvent),
    ...events.map((x, i) => ({ type: 'game', table: 'T1', game: 1, event: (x as { e: unknown }).e, seq: i + 3, at: (x as { at: number }).at }) as LogEvent),
  ];
  return (
    encodeLine({ type: 'header', format: LOG_FORMAT, version: 1, sessionId: 'handmade-two', code: 'ABCDE', createdAt: 0, seed: 1, hostTokenHash: '' }) +
    lines.map(encodeLine).join('')
  );
}

describe('npm run replay', () => {
  it('prints an example game’s timeline and verdict, and --verify passes it', async () => {
    const r = await replay(join(root, 'examples/tg-victory.ndjson'), '--verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Table T1 · game 1 · Two Generals');
    expect(r.stdout).toMatch(/#1 General A → General B: Proposal: attack at 06:00/);
    expect(r.stdout).toContain('Verdict: Victory');
    expect(r.stdout).toContain('ok (1 games checked; every step replayed through the rules)');
  });

  it('speaks Chinese with --lang zh', async () => {
    const r = await replay(join(root, 'examples/paxos-crash.ndjson'), '--lang', 'zh');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('提案者 A');
    expect(r.stdout).toContain('安全性得到保持');
  });

  it('--verify catches a hand-made log with two chosen values, naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-cli-'));
    const file = join(dir, 'two.ndjson');
    await writeFile(file, twoValuesLog());
    const r = await replay(file, '--verify');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line \d+: table T1, game 1: two values chosen: dawn \(1\.A\) and dusk \(2\.B\)/);
    expect(r.stdout).toContain('Safety broken');
  });

  it('refuses a corrupt log, an unknown version and a file that is not a log, saying where', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-cli-'));
    const good = twoValuesLog().split('\n');
    const cases: [string, string, RegExp][] = [
      ['corrupt.ndjson', [good[0], good[1], '{not json', good[2], ''].join('\n'), /line 3: not JSON/],
      ['version.ndjson', good[0]!.replace('"version":1', '"version":99') + '\n', /line 1: unknown format version 99/],
      ['other.txt', 'hello world\n', /line 1: not JSON/],
    ];
    for (const [name, text, message] of cases) {
      await writeFile(join(dir, name), text);
      const r = await replay(join(dir, name), '--verify');
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    expect((await replay(join(dir, 'missing.ndjson'))).code).toBe(2);
    expect((await replay('--frobnicate')).code).toBe(2);
  });
});
