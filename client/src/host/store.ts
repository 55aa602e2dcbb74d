// The host console's state: the session as the server last sent it, the host's choices, the errors
// to show, and the one way a command is sent.
import { signal } from '@preact/signals';
import { SCENARIO_IDS, isScenarioId, type HostCommand, type HostTable, type HostView, type ScenarioId } from '@valley/shared';
import { caseOf, explain, t, type Key } from '../i18n/index.ts';
import { EV, call } from '../net.ts';

export const view = signal<HostView | null>(null);
/** What new tables play: the host's choice, remembered by this browser. */
const remembered = localStorage.getItem('valley.scenario') ?? '';
export const scenarioChoice = signal<ScenarioId>(isScenarioId(remembered) ? remembered : SCENARIO_IDS[0]!);
export const chooseScenario = (s: ScenarioId) => {
  scenarioChoice.value = s;
  localStorage.setItem('valley.scenario', s);
};
export const storageError = signal<string | null>(null);
export const error = signal<string | null>(null);
/** What the last command did, in words (seating the class, removing a table, clearing results). */
export const notice = signal<string | null>(null);

/** Tables that moved (or came into view): each replaces its old self. */
export function mergeTables(tables: HostTable[]) {
  const v = view.value;
  if (!v || tables.length === 0) return;
  const byId = new Map(tables.map((t) => [t.id, t]));
  view.value = { ...v, tables: v.tables.map((t) => byId.get(t.id) ?? t) };
}

export async function command(cmd: HostCommand): Promise<boolean> {
  error.value = null;
  notice.value = null;
  const r = await call<{ report?: { said: string; evidence: Record<string, string | number> } }>(EV.hostCommand, cmd);
  if (!r.ok) error.value = explain(r.error);
  else if (r.report) notice.value = t(caseOf(`report.${r.report.said}`, r.report.evidence) as Key, r.report.evidence);
  return r.ok;
}
