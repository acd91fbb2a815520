import { describe, expect, it } from 'vitest';
import { RuleId } from '@/lib/detection/rule';
import { defaultParams, RULES, ruleById } from '@/lib/detection/rule-catalog';

/** PRODUCT.md, "Detection defaults": severity and ATT&CK id of each rule. */
const PRODUCT_DEFAULTS = {
  brute_force_ip: ['high', 'T1110.001'],
  brute_force_user: ['medium', 'T1110.001'],
  slow_brute_force: ['medium', 'T1110.001'],
  password_spraying: ['high', 'T1110.003'],
  compromise_suspected: ['critical', 'T1078'],
  token_forgery: ['high', 'T1606'],
  invalid_token_spike: ['medium', 'T1550.001'],
  token_replay: ['high', 'T1550.001'],
  privilege_probing: ['medium', 'TA0004'],
  api_abuse: ['medium', 'T1499.003'],
  service_impersonation: ['critical', 'T1557'],
  long_lived_token: ['low', null],
  plaintext_http: ['low', 'T1040'],
} as const;

describe('the rule catalogue', () => {
  it('holds the thirteen rules of PRODUCT.md, once each, in its order', () => {
    expect(RULES.map((rule) => rule.id)).toEqual(RuleId.options);
    expect(Object.keys(PRODUCT_DEFAULTS)).toEqual(RuleId.options);
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s has the severity and ATT&CK id of PRODUCT.md', (id, rule) => {
    const [severity, attack] = PRODUCT_DEFAULTS[id];
    expect(defaultParams(rule)).toMatchObject({ severity, enabled: true, quiet_period_seconds: 3600 });
    expect(rule.attack?.id ?? null).toBe(attack);
    expect(ruleById(id)).toBe(rule);
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s groups by a key its groupings define', (_id, rule) => {
    const params = defaultParams(rule);
    expect(rule.groupings[params.group_by as keyof typeof rule.groupings]).toBeDefined();
  });

  it('rejects unknown fields, out-of-range values and unknown groupings', () => {
    const rule = ruleById('brute_force_ip');
    expect(rule.params.safeParse({ threshold: 0 }).success).toBe(false);
    expect(rule.params.safeParse({ threshold: 1_000_000 }).success).toBe(false);
    expect(rule.params.safeParse({ window_seconds: 30 * 86_400 }).success).toBe(false);
    expect(rule.params.safeParse({ group_by: 'username' }).success).toBe(false);
    expect(rule.params.safeParse({ treshold: 5 }).success).toBe(false);
    expect(rule.params.safeParse({ threshold: 20, severity: 'critical' }).success).toBe(true);
  });
});
