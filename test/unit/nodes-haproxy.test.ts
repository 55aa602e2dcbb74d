// The HAProxy configuration shipped in deploy/ is the one the nodes test runs (nodes/haproxy.ts), with
// sample addresses; and its parts that routing depends on are there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyConfig, parseNodes } from '@valley/server/nodes/haproxy';
import { splitAddress } from '@valley/server/nodes/front';
import { root } from '../support/paths.ts';

describe('the HAProxy configuration for Valley nodes', () => {
  it('deploy/haproxy.cfg is what the generator writes for its sample nodes', () => {
    const sample = haproxyConfig({ bind: '0.0.0.0:80', nodes: parseNodes(['a=10.0.0.11:3000', 'b=10.0.0.12:3000']) });
    expect(readFileSync(join(root, 'deploy/haproxy.cfg'), 'utf8')).toBe(sample);
  });

  it('hashes by session with a consistent hash, sends pairing to one node, and lists every node in both backends', () => {
    const cfg = haproxyConfig({ bind: '127.0.0.1:8080', nodes: parseNodes(['a=127.0.0.1:3001', 'b=127.0.0.1:3002']), checkMs: 500 });
    expect(cfg).toContain('balance hash var(txn.session)');
    expect(cfg).toContain('hash-type consistent');
    expect(cfg).toContain('balance first');
    expect(cfg.match(/server a 127\.0\.0\.1:3001 check inter 500 /g)).toHaveLength(2);
    expect(cfg.match(/server b 127\.0\.0\.1:3002 check inter 500 /g)).toHaveLength(2);
  });

  it('refuses a node that is not name=host:port', () => {
    expect(() => parseNodes(['a=10.0.0.11'])).toThrow(/name=host:port/);
  });

  it('splits a node address into its host and port, IPv6 in brackets included', () => {
    expect(splitAddress('10.0.0.11:3000')).toEqual({ host: '10.0.0.11', port: 3000 });
    expect(splitAddress('[::1]:3000')).toEqual({ host: '::1', port: 3000 });
  });
});
