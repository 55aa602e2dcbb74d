// JSON with keys sorted (and undefined dropped): two values compare equal however their objects were
// spelled. The checker compares replayed events with this; the server, retried actions.

export function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Whether two values are the same JSON, however their objects were spelled. Values written by the
 * same code nearly always spell their keys in the same order, so plain JSON is compared first (equal
 * text means equal values) and sorted keys only when it differs: the log checker compares every unit.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || canonical(a) === canonical(b);
}
