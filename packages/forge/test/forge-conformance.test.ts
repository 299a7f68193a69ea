import { startGitHubStandIn } from '@orchestrator/testing/github-stand-in/index';
import { expect } from 'vitest';
import { GitHubForge, LocalForge } from '../src/index.ts';
import { runForgeConformance } from './forge-conformance.ts';
import { createSandboxRepository, temporaryDirectory } from './sandbox-repository.ts';

runForgeConformance('local', async () => {
  const repo = createSandboxRepository();
  const forge = new LocalForge({ dataDir: temporaryDirectory('data'), sourceRepository: repo });
  return { forge, repo, close: () => forge.close() };
});

runForgeConformance('github (stand-in)', async () => {
  const standIn = await startGitHubStandIn();
  const forge = new GitHubForge({
    token: standIn.token,
    repository: standIn.repository,
    baseUrl: standIn.baseUrl,
    gitUrl: standIn.gitUrl,
    paceWrites: false,
    retryBaseMilliseconds: 1,
  });
  const repo = createSandboxRepository();
  await forge.pushBranch({ workingCopy: repo, branch: 'main' });
  return {
    forge,
    repo,
    close: async () => {
      expect(standIn.contractViolations).toEqual([]);
      await forge.close();
      await standIn.close();
    },
  };
});
