export {
  PostgresResponseCacheStore,
  SqliteResponseCacheStore,
  SqlResponseCacheStore,
} from './sql-response-cache-store.ts';
