#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// Node's on-disk compile cache (in the system temp directory, keyed by file content) keeps the type-stripped and
// compiled modules, so every command after the first starts about a third faster. Set NODE_DISABLE_COMPILE_CACHE=1 to
// turn it off. The CLI is imported only after the cache is enabled, so that the cache covers it.
enableCompileCache();
const { main } = await import('./cli.ts');

process.exitCode = await main(process.argv);
