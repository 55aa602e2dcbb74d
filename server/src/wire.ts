// How the server puts socket.io packets on the wire, and reaches a student's sockets.
//
// socket.io's encoder walks every outgoing payload looking for binary data (`hasBinary`, a few per
// cent of a hall's server time) before it writes the same text it would write anyway. Valley never
// sends binary — every payload is JSON — so the server's encoder writes the text at once. The wire
// format is socket.io's own (socket.io-parser's `encodeAsString`), so the browsers' and the bots'
// default parser reads it unchanged; decoding what clients send is the library's own Decoder.
import * as parser from 'socket.io-parser';
import type { Server } from 'socket.io';

/** socket.io-parser's own text encoding (private in its types, public in its code since 4.0). */
type Text = { encodeAsString(packet: parser.Packet): string };

class TextEncoder extends parser.Encoder {
  override encode(packet: parser.Packet): string[] {
    return [(this as unknown as Text).encodeAsString(packet)];
  }
}

/** The `parser` option of socket.io's Server: the library's parser with the text-only encoder. */
export const textParser = { ...parser, Encoder: TextEncoder };

/**
 * Emit to each socket in a room, but `except` one, without a broadcast: a broadcast encodes its packet
 * before it looks at the room, so a room with nobody else in it (a student's other tabs, nearly always
 * none) still costs a whole serialisation.
 */
export function emitToRoom(io: Server, room: string, event: string, data: unknown, except?: string): void {
  const ids = io.sockets.adapter.rooms.get(room);
  if (!ids) return;
  for (const id of ids) if (id !== except) io.sockets.sockets.get(id)?.emit(event, data);
}
