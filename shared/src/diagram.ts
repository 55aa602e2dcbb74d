// The space-time (Lamport) diagram of a game, as data: one lane per seat, every messenger with its
// send and end times and its fate so far, and marks on the lanes (decisions, promises, the moment a
// value is chosen). Text is given as catalogue keys with parameters, so every screen and the command
// line can say it in English or Chinese. A parameter written "@key" is itself a catalogue entry.

export interface Label {
  key: string;
  params: Record<string, string | number>;
}

export type DiagramFate = 'inFlight' | 'held' | 'delivered' | 'captured' | 'lost';

export interface DiagramMessenger {
  n: number;
  from: string;
  to: string;
  sentAt: number;
  endsAt: number;
  status: DiagramFate;
  label: Label;
}

export type MarkKind = 'decision' | 'promised' | 'accepted' | 'chosen' | 'declared' | 'broken' | 'outcome' | 'crashed' | 'restarted';

export interface DiagramMark {
  /** The lane it stands on, or null for the whole table (a value chosen, the game's outcome). */
  seat: string | null;
  at: number;
  kind: MarkKind;
  label: Label;
}

export interface Diagram {
  lanes: { seat: string; label: Label }[];
  messengers: DiagramMessenger[];
  marks: DiagramMark[];
  startedAt: number;
  endedAt: number | null;
}

export const label = (key: string, params: Record<string, string | number> = {}): Label => ({ key, params });
