import type { ComponentReporter } from '../report/component-reporter';
import type { Directory } from './directory';
import type { Lockout } from './lockout';
import type { RefreshTokens } from './refresh-tokens';
import type { RevocationList } from './revocation-list';
import type { SigningKeys } from './signing-keys';

/** Everything the authorization server's handlers share. */
export type AuthContext = {
  issuer: string;
  /** This node's clock, in ms since the epoch: `Date.now()`, or a node's skewed one. */
  clock(): number;
  directory: Directory;
  keys: SigningKeys;
  lockout: Lockout;
  refreshTokens: RefreshTokens;
  revoked: RevocationList;
  reporter: ComponentReporter;
};
