export * from './check-citations.ts';
export * from './chunk-citation.ts';
export * from './code-chunk.ts';
export * from './embedding-port.ts';
export * from './invalid-citation-schema.ts';
export * from './parse-chunk-id.ts';
export * from './render-chunk-for-prompt.ts';
export * from './retriever-port.ts';
