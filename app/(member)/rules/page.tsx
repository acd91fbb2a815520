import { roleMayUse } from '@/lib/auth/access';
import { requirePage } from '@/lib/http/page-access';
import { requestContext } from '@/lib/request-context';
import { listRules } from '@/lib/rules/list-rules';
import badges from '@/app/ui/badge.module.css';
import styles from '@/app/ui/dashboard/dashboard.module.css';
import { RuleEditor } from '@/app/ui/rules/rule-editor';
import { SeverityBadge } from '@/app/ui/severity-badge';

export const metadata = { title: 'Rules · authwatch' };

/** `/rules`: each detection rule with its description, ATT&CK reference, state, parameters and alerts in 7 days; MANAGERs edit and backtest. */
export default async function RulesPage() {
  const user = await requirePage('PAGE /rules');
  const { rules } = await listRules({ ctx: requestContext() });
  const mayEdit = roleMayUse(user.role, 'PUT /api/v1/rules/[id]');
  return (
    <>
      <h1>Detection rules</h1>
      {rules.map((rule) => (
        <section key={rule.id} className={styles.panel} aria-labelledby={`rule-${rule.id}`} data-testid={`rule-${rule.id}`}>
          <h2 id={`rule-${rule.id}`}>
            {rule.title} <SeverityBadge severity={rule.severity} />{' '}
            <span className={`${badges.badge} ${rule.enabled ? badges.active : badges.disabled}`}>{rule.enabled ? 'enabled' : 'disabled'}</span>
          </h2>
          <p>{rule.description}</p>
          <p className={styles.flat}>
            {rule.attack ? `ATT&CK ${rule.attack.id} ${rule.attack.name}` : 'Posture rule (no ATT&CK technique)'} · {rule.alerts_last_7_days.toLocaleString('en-US')} alert(s) opened in the last 7 days
            {rule.customised ? ' · parameters changed from the defaults' : ''}
          </p>
          {mayEdit ? (
            <RuleEditor id={rule.id} params={rule.params as Record<string, unknown>} />
          ) : (
            <pre className="mono">{JSON.stringify(rule.params, null, 2)}</pre>
          )}
        </section>
      ))}
    </>
  );
}
