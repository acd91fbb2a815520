import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNewPassword, isCommonPassword } from '@/lib/auth/password-policy';

const LIST = path.resolve(__dirname, '../../../lib/auth/data/common-passwords.txt');
const refusal = (password: string, email = 'alice@example.com') => {
  try {
    checkNewPassword(password, email);
    return undefined;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('the password policy', () => {
  it('ships a few thousand common passwords with their source and license named', () => {
    const lines = fs.readFileSync(LIST, 'utf8').split('\n');
    const header = lines.filter((line) => line.startsWith('#')).join('\n');
    expect(header).toContain('SecLists');
    expect(header).toContain('CC BY-SA 3.0');
    const entries = lines.filter((line) => line !== '' && !line.startsWith('#'));
    expect(entries.length).toBe(5000);
    expect(new Set(entries).size).toBe(entries.length);
    expect(entries.every((entry) => entry.length >= 12 && entry === entry.toLowerCase())).toBe(true);
  });

  it.each(['qwertyuiop123', 'QwertyUiop123', 'password1234', ' 1qaz2wsx3edc '])('refuses the common password %j', (password) => {
    expect(isCommonPassword(password)).toBe(true);
    expect(refusal(password)).toBe('ERR_PASSWORD_COMMON');
  });

  it.each([
    ['eleven char', 'ERR_PASSWORD_TOO_SHORT'],
    ['🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐', 'ERR_PASSWORD_TOO_SHORT'],
    ['x'.repeat(257), 'ERR_PASSWORD_TOO_LONG'],
    ['alice-likes-long-passwords', 'ERR_PASSWORD_COMMON'],
  ])('refuses %j with %s', (password, code) => {
    expect(refusal(password)).toBe(code);
  });

  it.each(['twelve chars', 'glacier-violet-tuesday-41', '🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐', 'x'.repeat(256)])('accepts %j', (password) => {
    expect(refusal(password)).toBeUndefined();
  });
});
