// The HAProxy configuration for Valley nodes: one address for the students and the host, requests
// spread over the nodes by session with a consistent hash, pairing on one node. `deploy/haproxy.cfg`
// is this with sample addresses; the nodes test writes it with its own.
//
//   node --import tsx server/src/nodes/haproxy.ts 0.0.0.0:80 a=10.0.0.11:3000 b=10.0.0.12:3000
import { fileURLToPath } from 'node:url';

export interface HaproxyOptions {
  /** Where HAProxy listens, `host:port`. */
  bind: string;
  nodes: { name: string; address: string }[];
  /** Health checks' interval: a node that fails two in a row leaves the hash ring. */
  checkMs?: number;
  /** Connections at once (a student's WebSocket is one, and one more to its node): HAProxy needs about twice this in file descriptors. */
  maxconn?: number;
}

export function haproxyConfig(o: HaproxyOptions): string {
  const check = `check inter ${o.checkMs ?? 2000} fall 2 rise 1`;
  const servers = o.nodes.map((n) => `  server ${n.name} ${n.address} ${check}`).join('\n');
  return `# Valley nodes behind HAProxy (2.6): see docs/SCALING.md, "Past one machine".
global
  log stderr format raw local0 warning
  maxconn ${o.maxconn ?? 10000}

defaults
  mode http
  log global
  option httplog
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A WebSocket lives a whole class: once upgraded, its idle limit is this one.
  timeout tunnel 2h
  # Nodes route a connection by its first request and close it after each plain HTTP answer; HAProxy
  # does the same on its side, so no server connection ever carries a second session's request.
  option http-server-close
  # A node that refuses a connection (it just died): try another one.
  option redispatch
  retries 2

frontend valley
  bind ${o.bind}
  # The session a request names: a socket.io request by its ?s= (a join code or a session id), an API
  # request by the id in its path. Requests that name none (pages, assets, a new session) go round-robin.
  http-request set-var(txn.session) url_param(s) if { path_beg /socket.io/ }
  http-request set-var(txn.session) path,field(4,/) if { path_reg ^/api/sessions/[^/]+/ }
  # The pairing desk keeps its codes in one node's memory: every pairing request goes to the same node.
  use_backend pairing if { path_beg /api/pair/ } || { path_reg ^/api/sessions/[^/]+/pair/?$ }
  default_backend nodes

backend nodes
  # A consistent hash: when a node leaves or joins, only the sessions hashed to it move. A node that
  # gets a session it does not hold forwards the connection to its holder (the Redis directory).
  balance hash var(txn.session)
  hash-type consistent
  option httpchk GET /healthz
${servers}

backend pairing
  # The first node that is up; if it goes down, the next (a pending pairing is then asked for again).
  balance first
  option httpchk GET /healthz
${servers}
`;
}

/** `name=host:port` arguments → nodes. */
export function parseNodes(args: string[]): { name: string; address: string }[] {
  return args.map((a) => {
    const m = /^([A-Za-z0-9_.-]+)=(\S+:\d+)$/.exec(a);
    if (!m) throw new Error(`expected name=host:port, got ${a}`);
    return { name: m[1]!, address: m[2]! };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [bind, ...nodes] = process.argv.slice(2);
  if (!bind || nodes.length === 0) {
    console.error('usage: haproxy.ts BIND_HOST:PORT NAME=HOST:PORT …');
    process.exit(2);
  }
  process.stdout.write(haproxyConfig({ bind, nodes: parseNodes(nodes) }));
}
