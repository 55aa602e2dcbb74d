// Names of the realtime events and the gateway's error codes: plain constants, no zod, so the
// browser can import them without the schema library.

export const EVENTS = {
  hostAttach: 'host:attach',
  hostCommand: 'host:command',
  hostView: 'host:view',
  /** Tables that moved: { now, tables } — each with its game's whole state if watched, else its status. */
  hostTable: 'host:table',
  /** The tables a host screen shows: { tables } (null: all); answered with those tables in detail. */
  hostWatch: 'host:watch',
  /** Results added since the last ones sent: { now, from, results } — the host's list from index `from` on. */
  hostResults: 'host:results',
  playerJoin: 'player:join',
  playerResume: 'player:resume',
  playerAct: 'player:act',
  /** What changed on a student's screen: { now, patch } — a ScreenPatch from one version to the next. */
  playerView: 'player:view',
  playerRemoved: 'player:removed',
} as const;

/** How many tables one host screen may watch in detail: a projector shows a dozen, a big screen a few dozen. */
export const MAX_WATCHED = 64;

/** Gateway-level error codes (a rule refusal uses the rule's own id). */
export const ERRORS = {
  badMessage: 'protocol/bad-message',
  unknownEvent: 'protocol/unknown-event',
  tooLarge: 'protocol/too-large',
  rateLimited: 'protocol/rate-limited',
  unknownCode: 'join/unknown-code',
  tooManyAttempts: 'join/too-many-attempts',
  badToken: 'auth/bad-token',
  /** The key was a student's whom the teacher removed: they are told so, not that the key is bad. */
  removed: 'auth/removed',
  badPairCode: 'auth/bad-pair-code',
  notHost: 'auth/not-host',
  notJoined: 'auth/not-joined',
  notSeated: 'auth/not-seated',
  noGame: 'game/no-game',
  storage: 'server/storage',
  internal: 'server/internal',
} as const;
