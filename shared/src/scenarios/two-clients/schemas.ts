// Level 3's wire shapes: level 2's, since it plays the same protocol.
export { action, schemas } from '../acks/schemas.ts';
