/**
 * What to do about an error code, when the journal did not record a hint with it. Codes are the stable codes of the
 * product's errors (`model-call-<kind>`, pause reasons as `run-paused-<reason>`, store and API codes).
 */
export const errorRemediations: Readonly<Record<string, string>> = {
  'model-call-rate-limited':
    'The provider throttled the calls. Wait and resume, lower the concurrency, or raise the rate limit of the API key.',
  'model-call-overloaded': 'The provider is overloaded. Resume later, or configure a fallback model for the role.',
  'model-call-retryable': 'A transient provider or network failure outlasted the retries. Resume the run.',
  'model-call-stream-cut': 'The response stream was cut off. Resume the run; the call is retried.',
  'model-call-context-overflow':
    'The prompt exceeded the model context. Narrow the task, lower retrieval limits, or use a longer-context model.',
  'model-call-invalid-request':
    'The provider rejected the request (unknown model or option). Check the model id and options in the config.',
  'model-call-auth':
    'The API key is missing, wrong or lacks access. Set it in .env (ANTHROPIC_API_KEY / OPENAI_API_KEY) and resume.',
  'model-auth': 'The API key is missing or wrong. Set it in .env (ANTHROPIC_API_KEY / OPENAI_API_KEY) and resume.',
  'model-unpriced': 'The model has no price, so it cannot run under a budget cap. Add its price to the config.',
  'model-output-invalid':
    'The model kept replying with malformed output. Resume to retry, or bind the role to a stronger model.',
  'run-paused-budget': 'The run reached its budget cap. Raise --max-usd (resume with changes.maxUsd) or stop the run.',
  'run-paused-turn-cap': 'The debate reached its turn cap. Raise maxTurns on resume, or edit the instruction.',
  'run-paused-stagnation': 'The debate stopped making progress. Edit the instruction to be more specific and resume.',
  'run-paused-deadlock': 'The critic kept rejecting. Read the last critique, edit the instruction, and resume.',
  'run-paused-malformed-output':
    'A role kept producing malformed replies. Resume, or switch that role to another model.',
  'run-paused-model-error': 'A model call failed for good. Check the provider status and the key, then resume.',
  'run-paused-time-cap': 'The run reached its time cap. Raise maxMinutes on resume.',
  'journal-conflict': 'Two writers drove the same run. Make sure only one process runs it, then resume.',
  'store-unavailable': 'The journal store is unreachable. Check DATABASE_URL or the data directory permissions.',
};

/** The remediation for a code, or a generic one. */
export function remediationFor(code: string): string {
  return (
    errorRemediations[code] ??
    'No remediation is recorded for this code yet. Open the example run, read the event and the message, then resume or re-run the step.'
  );
}
