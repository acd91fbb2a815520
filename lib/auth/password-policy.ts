import fs from 'node:fs';
import { codePath } from '../code-path';
import { AuthwatchError } from '../errors';

/**
 * What a new password must be (NIST SP 800-63B §3.1.1.2): at least 12
 * characters, at most 256 (long enough for any passphrase, short enough that
 * hashing it costs nothing extra), not a common password, and not built on the
 * person's own email name. No composition rules: length and the list do more.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Read once: 5,000 common passwords of 12+ characters; source and license in the file's header. */
const LIST_FILE = codePath('lib', 'auth', 'data', 'common-passwords.txt');
let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.trim().toLowerCase());
}

/** Throws ERR_PASSWORD_TOO_SHORT, ERR_PASSWORD_TOO_LONG or ERR_PASSWORD_COMMON; `email` is the account's. */
export function checkNewPassword(password: string, email: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new AuthwatchError('ERR_PASSWORD_TOO_SHORT', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new AuthwatchError('ERR_PASSWORD_TOO_LONG', `a password may have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (isCommonPassword(password)) {
    throw new AuthwatchError('ERR_PASSWORD_COMMON', 'this password is on a list of common passwords; choose another');
  }
  const name = email.split('@')[0].toLowerCase();
  if (name.length >= 3 && password.toLowerCase().includes(name)) {
    throw new AuthwatchError('ERR_PASSWORD_COMMON', 'a password may not contain the name of its email address');
  }
}
