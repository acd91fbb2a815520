/**
 * Control, bidi and line-separator characters let an attacker forge log lines
 * or reorder what a reader sees. Wherever an event string leaves authwatch as
 * text (log, CSV, page) it goes through `escapeUnsafeCharacters` first.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Shortens attacker-controlled text for an error message, escaped. */
export function quoteForMessage(text: string, maxLength = 64): string {
  const shortened = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return `'${escapeUnsafeCharacters(shortened)}'`;
}
