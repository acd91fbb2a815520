import type { Rule, RuleId } from './rule';
import { apiAbuse } from './rules/api-abuse';
import { bruteForceIp } from './rules/brute-force-ip';
import { bruteForceUser } from './rules/brute-force-user';
import { compromiseSuspected } from './rules/compromise-suspected';
import { invalidTokenSpike } from './rules/invalid-token-spike';
import { longLivedToken } from './rules/long-lived-token';
import { passwordSpraying } from './rules/password-spraying';
import { plaintextHttp } from './rules/plaintext-http';
import { privilegeProbing } from './rules/privilege-probing';
import { serviceImpersonation } from './rules/service-impersonation';
import { slowBruteForce } from './rules/slow-brute-force';
import { tokenForgery } from './rules/token-forgery';
import { tokenReplay } from './rules/token-replay';

/** The thirteen rules of PRODUCT.md ("Detection defaults"), in its order. */
export const RULES: readonly Rule[] = [
  bruteForceIp,
  bruteForceUser,
  slowBruteForce,
  passwordSpraying,
  compromiseSuspected,
  tokenForgery,
  invalidTokenSpike,
  tokenReplay,
  privilegeProbing,
  apiAbuse,
  serviceImpersonation,
  longLivedToken,
  plaintextHttp,
];

const RULES_BY_ID = new Map<RuleId, Rule>(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: RuleId): Rule {
  const rule = RULES_BY_ID.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** PRODUCT.md's defaults for a rule: what it runs with until a MANAGER changes them. */
export function defaultParams(rule: Rule) {
  return rule.params.parse({});
}
