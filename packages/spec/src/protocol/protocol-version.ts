/** Version of the debate message protocol. Persisted in every message; bump on any incompatible change. */
export const protocolVersion = 'v1';
export type ProtocolVersion = typeof protocolVersion;
