// A scenario is one folder on each side, reached through typed registries. The type-level half of this
// file is checked by `tsc -b` (part of `npm test`): each @ts-expect-error below must be an error, so a
// registry that stopped catching a missing piece would fail the build. The rest checks at run time
// that the registries agree, and that nothing outside the scenario folders names a scenario.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS, scenarioLoads, scenarioSimulations, scenarioWords, scenarios, type ScenarioId, type Words } from '@valley/shared';
import { scenarioSchemas, type ScenarioSchemas } from '@valley/shared/protocol';

const root = join(import.meta.dirname, '../..');

// --- type level: a registry missing a scenario's piece does not compile --------------------------
const { paxos: _schemas, ...schemasWithoutPaxos } = scenarioSchemas;
// @ts-expect-error a scenario registered without its schemas
void (schemasWithoutPaxos satisfies Record<ScenarioId, ScenarioSchemas>);
const { paxos: _words, ...wordsWithoutPaxos } = scenarioWords;
// @ts-expect-error a scenario registered without its words
void (wordsWithoutPaxos satisfies Record<ScenarioId, Words>);
// (The client registry's own check is client/src/scenarios/registry-check.ts, in the client's build.)
// @ts-expect-error a scenario's schemas must parse to its own actions: Two Generals' are not Paxos'
void (scenarioSchemas['two-generals'] satisfies ScenarioSchemas<import('@valley/shared').px.Action>);

describe('the scenario registries', () => {
  it('list the same scenarios, each under its own id', () => {
    expect(SCENARIO_IDS.length).toBeGreaterThan(0);
    for (const id of SCENARIO_IDS) expect(scenarios[id].id).toBe(id);
    expect(Object.keys(scenarioSchemas).sort()).toEqual([...SCENARIO_IDS].sort());
    expect(Object.keys(scenarioWords).sort()).toEqual([...SCENARIO_IDS].sort());
    expect(Object.keys(scenarioSimulations).sort()).toEqual([...SCENARIO_IDS].sort());
    // Optional: a scenario may have no load piece (the bench leaves it out), but none is of an unknown id.
    for (const id of Object.keys(scenarioLoads)) expect(SCENARIO_IDS).toContain(id);
    const clients = readFileSync(join(root, 'client/src/scenarios/index.ts'), 'utf8');
    for (const id of SCENARIO_IDS) expect(clients).toMatch(new RegExp(`['"]?${id}['"]?: \\w+Client`));
  });

  it('nothing in the server, the pages or the tools names a scenario: only the scenario folders and the registries do', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
      });
    const allowed = [
      'shared/src/scenarios/',
      'client/src/scenarios/',
      // The registries themselves.
      'shared/src/protocol/scenario-schemas.ts',
    ];
    const ids = SCENARIO_IDS.map((id) => new RegExp(`['"\`]${id}['"\`]`));
    const offenders: string[] = [];
    for (const dir of ['shared/src', 'server/src', 'client/src', 'scripts']) {
      for (const f of files(join(root, dir))) {
        const rel = relative(root, f);
        if (allowed.some((a) => rel.startsWith(a))) continue;
        const text = readFileSync(f, 'utf8');
        for (const re of ids) if (re.test(text)) offenders.push(`${rel}: ${re.source}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
