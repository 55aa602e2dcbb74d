// Exhaustiveness guard: every switch over a tagged union ends here, so a new case cannot be forgotten.
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
