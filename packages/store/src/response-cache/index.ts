export { PostgresResponseCacheStore } from './postgres-response-cache-store.ts';
export { SqliteResponseCacheStore } from './sqlite-response-cache-store.ts';
