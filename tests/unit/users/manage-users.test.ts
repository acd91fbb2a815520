import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestMeta } from '@/lib/http/request-meta';
import { announceFirstRun } from '@/lib/users/first-run';
import { addUser, disableUser, issuePasswordResetLink, setUserRole } from '@/lib/users/manage-users';
import { lookUpSession } from '@/lib/users/sessions';
import { completeSetup, describeSetupLink } from '@/lib/users/setup-links';
import { DAY, createTempStore, type TempStore } from '@/tests/helpers/temp-store';

const meta: RequestMeta = { ip: '192.0.2.10', scheme: 'http', origin: 'http://localhost', userAgent: 'unit' };
const cli = { kind: 'cli', label: 'tester' } as const;
const PASSWORD = 'glacier-violet-tuesday-41';

describe('users, setup links and the audit log', { timeout: 60_000 }, () => {
  let temp: TempStore;
  const ctx = (now = Date.now()) => ({ store: temp.store, now });
  const codeOf = (work: () => unknown) =>
    Promise.resolve()
      .then(work)
      .then(() => 'ok', (error: { code: string }) => error.code);
  const audit = () => temp.store.accounts.listAudit({ limit: 100 }).map((entry) => `${entry.actorLabel} ${entry.action} ${entry.target}`);

  beforeEach(() => {
    temp = createTempStore();
  });
  afterEach(() => temp.remove());

  it('creates the first ADMIN from the first-run link, once, and audits both steps', async () => {
    const logged: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => logged.push(chunk) > 0) as typeof process.stdout.write;
    try {
      announceFirstRun(ctx());
    } finally {
      process.stdout.write = write;
    }
    const token = /#(awl_[A-Za-z0-9_-]{43})/.exec(logged.join(''))?.[1] as string;
    expect(describeSetupLink({ ctx: ctx(), input: { token } })).toEqual({ purpose: 'first_admin', email: null, role: 'ADMIN' });
    const { user, session } = await completeSetup({ ctx: ctx(), input: { token, email: 'Root@Example.com', password: PASSWORD }, meta });
    expect(user).toMatchObject({ email: 'root@example.com', role: 'ADMIN', status: 'active' });
    expect(lookUpSession(ctx(), session.token).status).toBe('active');
    expect(await codeOf(() => completeSetup({ ctx: ctx(), input: { token, email: 'eve@example.com', password: PASSWORD }, meta }))).toBe(
      'ERR_SETUP_LINK_INVALID',
    );
    expect(audit()).toEqual(['root@example.com user.created root@example.com', 'authwatch first_admin_link.issued first ADMIN']);
  });

  it('invites a user whose link sets the password, refusing a weak one, and expires after 24 hours', async () => {
    const invited = await addUser({ ctx: ctx(), actor: cli, input: { email: 'bob@example.com', role: 'USER' } });
    const token = invited.setupToken as string;
    expect(invited.user.status).toBe('invited');
    expect(await codeOf(() => completeSetup({ ctx: ctx(), input: { token, password: 'password1234' }, meta }))).toBe('ERR_PASSWORD_COMMON');
    expect(await codeOf(() => describeSetupLink({ ctx: ctx(Date.now() + DAY), input: { token } }))).toBe('ERR_SETUP_LINK_INVALID');
    const { user } = await completeSetup({ ctx: ctx(), input: { token, password: PASSWORD }, meta });
    expect(user).toMatchObject({ email: 'bob@example.com', role: 'USER', status: 'active' });
  });

  it('ends every session of a user whose password or role changes', async () => {
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'root@example.com', role: 'ADMIN', password: PASSWORD } });
    const bob = await addUser({ ctx: ctx(), actor: cli, input: { email: 'bob@example.com', role: 'USER' } });
    const first = await completeSetup({ ctx: ctx(), input: { token: bob.setupToken as string, password: PASSWORD }, meta });
    setUserRole({ ctx: ctx(), actor: cli, input: { user: { email: 'bob@example.com' }, role: 'MANAGER' } });
    expect(lookUpSession(ctx(), first.session.token).status).toBe('none');

    const other = await completeSetup({
      ctx: ctx(),
      input: { token: issuePasswordResetLink({ ctx: ctx(), actor: cli, input: { user: { email: 'bob@example.com' } } }).setupToken as string, password: PASSWORD },
      meta,
    });
    const reset = issuePasswordResetLink({ ctx: ctx(), actor: cli, input: { user: { email: 'bob@example.com' } } });
    await completeSetup({ ctx: ctx(), input: { token: reset.setupToken as string, password: 'a-brand-new-passphrase' }, meta });
    expect(lookUpSession(ctx(), other.session.token).status).toBe('none');
  });

  it('refuses to demote or disable the last active ADMIN', async () => {
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'root@example.com', role: 'ADMIN', password: PASSWORD } });
    const root = { email: 'root@example.com' };
    expect(await codeOf(() => setUserRole({ ctx: ctx(), actor: cli, input: { user: root, role: 'USER' } }))).toBe('ERR_LAST_ADMIN');
    expect(await codeOf(() => disableUser({ ctx: ctx(), actor: cli, input: { user: root } }))).toBe('ERR_LAST_ADMIN');
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'second@example.com', role: 'ADMIN', password: PASSWORD } });
    expect(await codeOf(() => disableUser({ ctx: ctx(), actor: cli, input: { user: root } }))).toBe('ok');
  });

  it('refuses a second account with the same email, and audits only what happened', async () => {
    await addUser({ ctx: ctx(), actor: cli, input: { email: 'bob@example.com', role: 'USER' } });
    expect(await codeOf(() => addUser({ ctx: ctx(), actor: cli, input: { email: 'BOB@example.com', role: 'ADMIN' } }))).toBe('ERR_USER_EXISTS');
    expect(audit()).toEqual(['cli:tester user.invited bob@example.com']);
  });
});
