import type { Scenario } from '../world';
import { apiAbuse } from './api-abuse';
import { bruteForce } from './brute-force';
import { expiredTokenStorm } from './expired-token-storm';
import { failuresThenSuccess } from './failures-then-success';
import { forgedTokens } from './forged-tokens';
import { longLivedToken } from './long-lived-token';
import { passwordSpraying } from './password-spraying';
import { plaintextHttp } from './plaintext-http';
import { privilegeProbing } from './privilege-probing';
import { revokedToken } from './revoked-token';
import { serviceImpersonation } from './service-impersonation';
import { tokenReplay } from './token-replay';

/** In first-round order: the storm first, since it waits for its tokens to expire while the others run. */
export const SCENARIOS: readonly Scenario[] = [
  expiredTokenStorm,
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
];
