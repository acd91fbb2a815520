import type { Scenario } from '../world';
import { apiAbuse } from './api-abuse';
import { bruteForce } from './brute-force';
import { clockSkew } from './clock-skew';
import { expiredTokenStorm } from './expired-token-storm';
import { failuresThenSuccess } from './failures-then-success';
import { forgedTokens } from './forged-tokens';
import { longLivedToken } from './long-lived-token';
import { passwordSpraying } from './password-spraying';
import { plaintextHttp } from './plaintext-http';
import { privilegeProbing } from './privilege-probing';
import { revokedToken } from './revoked-token';
import { serviceImpersonation } from './service-impersonation';
import { slowBruteForce } from './slow-brute-force';
import { stagingToken } from './staging-token';
import { tokenReplay } from './token-replay';

/**
 * In first-round order: the storm first, since it waits for its tokens to
 * expire while the others run, then the longest, the credential-stuffing list.
 */
export const SCENARIOS: readonly Scenario[] = [
  expiredTokenStorm,
  slowBruteForce,
  bruteForce,
  passwordSpraying,
  failuresThenSuccess,
  forgedTokens,
  tokenReplay,
  privilegeProbing,
  apiAbuse,
  serviceImpersonation,
  longLivedToken,
  plaintextHttp,
  revokedToken,
  clockSkew,
  stagingToken,
];
