'use client';

import { useRouter } from 'next/navigation';
import { Component, startTransition, type ReactNode } from 'react';
import styles from './dashboard/dashboard.module.css';

type Props = { title: string; testId: string; onRetry: () => unknown; children: ReactNode };

class Boundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  private retry = async () => {
    await this.props.onRetry();
    this.setState({ failed: false });
  };

  override render() {
    if (!this.state.failed) return this.props.children;
    // The error's text stays in the server log: a widget says only that it failed, and offers a retry.
    return (
      <section className={styles.panel} role="alert" data-testid={`failed-${this.props.testId}`}>
        <h2>{this.props.title}</h2>
        <p>This panel could not be loaded; the rest of the page is unaffected.</p>
        <button type="button" className="secondary" onClick={() => void this.retry()}>
          Retry
        </button>
      </section>
    );
  }
}

/**
 * One widget's error boundary: a failing query replaces that widget with an
 * error and a retry, never the page. Retry re-renders from the server (or
 * `onRetry`, e.g. a react-query refetch) and then draws the widget again.
 */
export function WidgetBoundary({ title, testId, onRetry, children }: { title: string; testId: string; onRetry?: () => unknown; children: ReactNode }) {
  const router = useRouter();
  const refresh = () => startTransition(() => router.refresh());
  return (
    <Boundary title={title} testId={testId} onRetry={onRetry ?? refresh}>
      {children}
    </Boundary>
  );
}
