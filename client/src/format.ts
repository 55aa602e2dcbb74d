// Small display helpers shared by the screens.
/** A duration as m:ss, never negative. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const percent = (p: number) => `${Math.round(p * 100)}%`;
