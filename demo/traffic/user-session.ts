import { passwordLogin, refresh, revoke } from './oauth-client';
import type { World } from './world';

/**
 * A person signed in through a client app from one address: logs in when it
 * has no token, refreshes before expiry, and can log out (revoking both tokens).
 */
export class UserSession {
  private accessToken?: string;
  private refreshToken?: string;
  private expiresAt = 0;

  constructor(
    private readonly world: World,
    readonly username: string,
    readonly from: string,
    private readonly clientId = 'web-app',
  ) {}

  get signedIn(): boolean {
    return this.refreshToken !== undefined;
  }

  async token(): Promise<string | undefined> {
    if (this.accessToken && Date.now() < this.expiresAt - 30_000) return this.accessToken;
    if (this.refreshToken && (await this.refresh())) return this.accessToken;
    this.accessToken = undefined;
    const client = this.world.client(this.clientId);
    const reply = await passwordLogin(this.world.auth, client, this.from, this.username, this.world.user(this.username).password);
    this.keep(reply);
    return this.accessToken;
  }

  /** Refreshes now, as a single-page app does when its tab regains focus. */
  async refresh(): Promise<boolean> {
    if (!this.refreshToken) return false;
    const reply = await refresh(this.world.auth, this.world.client(this.clientId), this.from, this.refreshToken);
    this.refreshToken = undefined;
    this.keep(reply);
    return reply.status === 200;
  }

  async logout(): Promise<void> {
    const client = this.world.client(this.clientId);
    for (const token of [this.refreshToken, this.accessToken]) if (token) await revoke(this.world.auth, client, this.from, token);
    this.accessToken = this.refreshToken = undefined;
  }

  private keep(reply: { accessToken?: string; refreshToken?: string; expiresIn?: number }): void {
    if (!reply.accessToken) return;
    this.accessToken = reply.accessToken;
    this.refreshToken = reply.refreshToken ?? this.refreshToken;
    this.expiresAt = Date.now() + (reply.expiresIn ?? 0) * 1000;
  }
}
