import { detectProjectLicence, nodeModulesLicenceResolver } from '../licences/project-licence.ts';
import { loadPolicy } from '../policy-file/load-policy.ts';
import type { GateInput } from './run-gate.ts';

/** The repository-dependent part of a gate input: the policy, the project licence, the dependency licence lookup. */
export type PolicyContext = Pick<GateInput, 'policy' | 'projectLicence' | 'resolveDependencyLicence'>;

/**
 * Loads `orchestrator.policy.yaml` (or the defaults) from `root` and resolves the project's licence (policy, then
 * package.json, then the LICENSE text). Spread the result into `runGate`: `runGate({ gate, diff, ...context })`.
 */
export async function loadPolicyContext(root: string): Promise<PolicyContext> {
  const { policy } = await loadPolicy(root);
  const projectLicence = policy.projectLicence ?? detectProjectLicence(root);
  return {
    policy,
    ...(projectLicence === undefined ? {} : { projectLicence }),
    resolveDependencyLicence: nodeModulesLicenceResolver(root),
  };
}
