export * from './forge-errors.ts';
export { BareRepository, bareRepositoryPath } from './local/bare-repository.ts';
export { LocalForge, type LocalForgeOptions } from './local/local-forge.ts';
export { forgeSchemaVersion } from './local/pull-request-database.ts';
export * from './open-pull-request.ts';
export * from './provenance/build-provenance.ts';
export * from './provenance/provenance-block.ts';
export * from './provenance/verify-provenance.ts';
