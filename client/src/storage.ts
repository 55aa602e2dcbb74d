// What the browser keeps: the host key and each seat's player key, in localStorage — never in a URL.

export interface HostKey {
  hostToken: string;
  code: string;
}
export interface PlayerKey {
  token: string;
  playerId: string;
  name: string;
}

const read = <T>(k: string): T | null => {
  try {
    return JSON.parse(localStorage.getItem(k) ?? 'null') as T | null;
  } catch {
    return null;
  }
};

export const hostKey = (sessionId: string) => read<HostKey>(`valley.host.${sessionId}`);
export const saveHostKey = (sessionId: string, k: HostKey) => localStorage.setItem(`valley.host.${sessionId}`, JSON.stringify(k));
export const playerKey = (code: string) => read<PlayerKey>(`valley.player.${code}`);
export const savePlayerKey = (code: string, k: PlayerKey) => localStorage.setItem(`valley.player.${code}`, JSON.stringify(k));
export const forgetPlayerKey = (code: string) => localStorage.removeItem(`valley.player.${code}`);
