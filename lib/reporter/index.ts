/** The authwatch reporter: `createReporter({ url, key, service })`, then `report(event)`. See the README. */
export { createReporter } from './create-reporter';
export type { DropReason, ReportedEvent, Reporter, ReporterOptions, ReporterProblem, ReporterStats } from './types';
