/**
 * The benchmark scripts' flags: `--kebab-case value` pairs, each naming the
 * camelCase key of `defaults`. A flag whose default is a number takes a
 * positive integer; any other flag takes its text as is (an `undefined`
 * default makes it optional). An unknown flag or a missing value throws with
 * `usage`.
 */
type Defaults = Record<string, number | string | undefined>;
export type Flags<D extends Defaults> = { [K in keyof D]: D[K] extends number ? number : D[K] extends string ? string : string | undefined };

const camelCase = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

export function parseFlags<D extends Defaults>(argv: readonly string[], defaults: D, usage: string): Flags<D> {
  const flags: Defaults = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const key = camelCase(flag);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (!flag.startsWith('--') || !Object.hasOwn(defaults, key)) throw new Error(`usage: ${usage} (bad: ${flag})`);
    if (typeof defaults[key] === 'number') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} must be a positive integer`);
      flags[key] = number;
    } else flags[key] = value;
  }
  return flags as Flags<D>;
}
