export type { StandInPull } from './github-payloads.ts';
export {
  type GitHubStandIn,
  type GitHubStandInOptions,
  type InjectedFailure,
  type RecordedRequest,
  startGitHubStandIn,
} from './github-stand-in.ts';
export { OpenApiResponseValidator } from './openapi-response-validator.ts';
export { type FixturesServer, fixturesToken, startFixturesServer } from './start-fixtures-server.ts';
