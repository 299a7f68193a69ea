import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';
import { resolveRoles } from './resolve-roles.ts';

function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The user's environment with its own orchestrator home (where trust is recorded), plus `variables`. */
function userEnv(variables: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ORCHESTRATOR_HOME: mkdtempSync(join(tmpdir(), 'orchestrator-config-home-')), ...variables };
}

describe('loadConfig', () => {
  it('applies defaults when there is no config file', async () => {
    const loaded = await loadConfig(repoWith({}), userEnv());
    expect(loaded.configFile).toBeUndefined();
    expect(loaded.config.limits.maxTurns).toBe(12);
    expect(loaded.config.forge.kind).toBe('local');
  });

  it('reads YAML and lets MAX_USD from .env set the cap, with the real environment winning', async () => {
    const repo = repoWith({ 'orchestrator.config.yaml': 'limits:\n  maxTurns: 6\n', '.env': 'MAX_USD=1.5\n' });
    expect((await loadConfig(repo, userEnv())).config.budget.maxUsd).toBe(1.5);
    expect((await loadConfig(repo, userEnv({ MAX_USD: '3' }))).config.budget.maxUsd).toBe(3);
    expect((await loadConfig(repo, userEnv())).config.limits.maxTurns).toBe(6);
  });

  it('names the file, the key, the value and what is allowed', async () => {
    const repo = repoWith({ 'orchestrator.config.json': JSON.stringify({ limits: { maxTurns: 'many' } }) });
    const error = await loadConfig(repo, userEnv()).catch((caught: unknown) => caught);
    expect(UserError.isInstance(error)).toBe(true);
    const message = (error as UserError).message;
    expect(message).toContain('orchestrator.config.json');
    expect(message).toContain('"limits.maxTurns": found "many"');
    expect(message).toMatch(/expected number/i);
  });

  it('rejects unknown keys by name', async () => {
    const repo = repoWith({ 'orchestrator.config.json': JSON.stringify({ limitz: {} }) });
    await expect(loadConfig(repo, userEnv())).rejects.toThrow(/unknown key "limitz"/);
  });

  it('rejects a syntax error with the file name', async () => {
    const repo = repoWith({ 'orchestrator.config.json': '{ "limits": ' });
    await expect(loadConfig(repo, userEnv())).rejects.toThrow(/Cannot parse .*orchestrator\.config\.json/);
  });

  it('rejects a MAX_USD that is not a positive number', async () => {
    await expect(loadConfig(repoWith({}), userEnv({ MAX_USD: 'lots' }))).rejects.toThrow(/MAX_USD="lots"/);
  });
});

describe('resolveRoles', () => {
  it('uses the scripted model when no key is set', async () => {
    const { config } = await loadConfig(repoWith({}), userEnv());
    expect(resolveRoles(config, {}).map((role) => role.binding.provider)).toEqual(['scripted', 'scripted', 'scripted']);
  });

  it('pits vendors against each other when both keys are set, and lets config win', async () => {
    const { config } = await loadConfig(
      repoWith({
        'orchestrator.config.json': JSON.stringify({
          roles: { critic: { provider: 'anthropic', model: 'claude-haiku-4-5' } },
        }),
      }),
      userEnv(),
    );
    const roles = resolveRoles(config, { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'b' });
    expect(roles.map((role) => `${role.role}=${role.binding.provider}:${role.source}`)).toEqual([
      'architect=anthropic:default',
      'builder=openai:default',
      'critic=anthropic:config',
    ]);
  });
});
