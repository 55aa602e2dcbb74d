// The server's text-only encoder (server/src/wire.ts) writes exactly what socket.io's own encoder
// writes for every packet without binary data, so the clients' default parser reads it unchanged.
import { describe, expect, it } from 'vitest';
import * as parser from 'socket.io-parser';
import { textParser } from '@valley/server/wire';

const packets: parser.Packet[] = [
  { type: parser.PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
  {
    type: parser.PacketType.EVENT,
    nsp: '/',
    data: ['player:view', { now: 1, patch: { from: 0, to: 1, ops: [{ op: 'replace', path: '/a', value: '中文 "q"' }] } }],
  },
  { type: parser.PacketType.EVENT, nsp: '/admin', data: ['x', null, 3] },
  { type: parser.PacketType.ACK, nsp: '/', id: 12, data: [{ ok: false, error: { rule: 'game/not-running', evidence: {} } }] },
  { type: parser.PacketType.DISCONNECT, nsp: '/' },
  { type: parser.PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'no' } },
];

describe('the text-only encoder', () => {
  it('writes what socket.io-parser writes, and its Decoder reads the packet back', () => {
    const theirs = new parser.Encoder();
    const ours = new textParser.Encoder();
    for (const p of packets) {
      const encoded = ours.encode(p);
      expect(encoded).toEqual(theirs.encode(p));
      const decoder = new parser.Decoder();
      let back: unknown;
      decoder.on('decoded', (x: unknown) => (back = x));
      decoder.add(encoded[0]);
      expect(back).toEqual(JSON.parse(JSON.stringify(p)));
    }
  });

  it('keeps the library decoder for what clients send', () => {
    expect(textParser.Decoder).toBe(parser.Decoder);
  });
});
