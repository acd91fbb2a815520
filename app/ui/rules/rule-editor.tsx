'use client';

import { useState } from 'react';
import { callApi } from '../call-api';
import { FormError } from '../form-message';
import { useApiAction } from '../use-api-action';
import styles from '../dashboard/dashboard.module.css';

type Summary = { alerts: number; events: number; truncated: boolean };
type Backtest = { days: number; proposed: Summary; current: Summary };

/** A MANAGER's parameter editor for one rule: JSON checked here and by the rule's schema on the server; backtest before saving. */
export function RuleEditor({ id, params }: { id: string; params: Record<string, unknown> }) {
  const [text, setText] = useState(JSON.stringify(params, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [backtest, setBacktest] = useState<Backtest | null>(null);
  const [testing, setTesting] = useState(false);
  const { run, busy, error } = useApiAction();

  function parsed(): Record<string, unknown> | undefined {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        setProblem(null);
        return value as Record<string, unknown>;
      }
    } catch {
      // reported below
    }
    setProblem('Parameters must be a JSON object.');
    return undefined;
  }

  return (
    <form className={styles.editor}
      onSubmit={(event) => {
        event.preventDefault();
        const value = parsed();
        if (value) void run('PUT', `/api/v1/rules/${id}`, { params: value });
      }}
    >
      <label htmlFor={`params-${id}`}>Parameters (JSON)</label>
      <textarea id={`params-${id}`} rows={6} cols={50} value={text} onChange={(event) => setText(event.target.value)} spellCheck={false} />
      <p>
        <button
          type="button"
          className="secondary"
          disabled={testing}
          onClick={async () => {
            const value = parsed();
            if (!value) return;
            setTesting(true);
            const answer = await callApi<Backtest>('POST', `/api/v1/rules/${id}/backtest`, { params: value, days: 7 });
            setTesting(false);
            if (answer.ok) setBacktest(answer.data);
            else setProblem(answer.message);
          }}
        >
          {testing ? 'Backtesting…' : 'Backtest 7 days'}
        </button>{' '}
        <button type="submit" disabled={busy}>
          Save
        </button>
      </p>
      {backtest && (
        <p role="status">
          Over {backtest.days} days: proposed {backtest.proposed.alerts} alert(s), current {backtest.current.alerts} alert(s), from {backtest.proposed.events} events
          {backtest.proposed.truncated ? ' (stopped at the replay cap)' : ''}.
        </p>
      )}
      <FormError message={problem ?? error} />
    </form>
  );
}
