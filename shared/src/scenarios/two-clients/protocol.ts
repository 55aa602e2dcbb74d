// Level 3, several clients and several servers (多个客户端对多个服务器): C1 and C2 each send their commands to
// both servers with level 2's acknowledgements and sequence numbers, and nothing is captured — yet the
// messengers take different times, so the servers take the commands in different orders: diverged.
import { ackProtocol, defaultConfig as acksDefaults, type Config } from '../acks/protocol.ts';

export { RULES, type Action, type Config, type Mem, type Payload } from '../acks/protocol.ts';

/** Two clients, two servers, numbers on, no capture: loss is not the cause this time. */
export const defaultConfig: Config = { ...acksDefaults, clients: 2, servers: 2, captureRate: 0, numbered: true };

// Level 4 (serializer) is the fix: one seat puts every command in one order.
export const protocol = ackProtocol({ id: 'two-clients', defaults: defaultConfig, showcase: { failure: 'diverged', config: {} }, next: 'serializer' });
