export * from './policy-blocked-error.ts';
export * from './policy-finding.ts';
export * from './policy-verdict.ts';
export * from './review-comment-draft.ts';
