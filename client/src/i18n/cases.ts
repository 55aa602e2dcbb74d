// Sentences whose wording depends on the numbers in their evidence: "0 are in a game still being
// played" reads as a slip, so such a case has its own entry, `<key>.<case>`, in both catalogues.
// The evidence stays the facts; choosing the sentence that says them well is the words' business.
type Evidence = Record<string, string | number>;

const CASES: Record<string, (e: Evidence) => string | null> = {
  // Everyone already at the scenario's idle tables, everyone in a game still being played, or some of each.
  'rule.session/nobody-to-seat': (e) => (e.playing === 0 ? 'allSeated' : e.there === 0 ? 'allPlaying' : null),
  // Nobody still in a game: no sentence about those who stay.
  'report.session/seated': (e) => (e.playing === 0 ? 'nonePlaying' : null),
};

/** The catalogue entry that says this evidence well: `key` itself, or its case. */
export function caseOf(key: string, evidence: Evidence): string {
  const c = CASES[key]?.(evidence);
  return c ? `${key}.${c}` : key;
}
