import { ScriptedModel } from '../scripted-model/scripted-model.ts';
import { describeModelPortConformance } from './model-port-conformance.ts';

// The scripted model answers from its own script (no vendor faults to inject, no schema-shaped answer to an arbitrary
// structured-output request), so the suite checks the port's shape, usage, streaming, token counts and abort only.
describeModelPortConformance({
  name: 'scripted',
  supportsFaults: false,
  checksStructuredShape: false,
  create: () => new ScriptedModel(),
});
