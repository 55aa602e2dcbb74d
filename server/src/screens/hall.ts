// A lecture hall: a session large enough that its host screens are drawn a few times a second, not
// at every move.
import type { LiveSession } from '../sessions/session.ts';

/** Over this many students or tables, a session is a hall. */
const HALL_PLAYERS = 100;
const HALL_TABLES = 40;

export const isLarge = (s: LiveSession) => s.state.playerOrder.length > HALL_PLAYERS || s.state.tableOrder.length > HALL_TABLES;
