export { type BuildTimelineOptions, buildTimeline } from './build-timeline.ts';
export { deriveSpans, traceIdOf } from './derive-spans.ts';
export { describeEvent } from './describe-event.ts';
export { buildErrorCatalog, collectErrors, type ErrorOccurrence } from './error-catalog.ts';
export { errorRemediations, remediationFor } from './error-remediations.ts';
export { formatTimeline } from './format-timeline.ts';
export { controlDataOf, dataOf } from './known-event.ts';
export { buildSpendReport, type RunSpend, summarizeRunSpend } from './spend-report.ts';
export { addCall, emptyTotals, mergeTotals, roundUsd } from './token-totals.ts';
