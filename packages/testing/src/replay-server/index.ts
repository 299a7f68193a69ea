export * from './bundled-fixtures.ts';
export * from './cassette.ts';
export * from './recorded-reply.ts';
export * from './replay-server.ts';
export * from './scripted-wire.ts';
export * from './synthetic-faults.ts';
