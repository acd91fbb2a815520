import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TopTable } from '@/app/ui/dashboard/top-table';

const range = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' };

describe('TopTable', () => {
  it('states an approximate list and shows a count with a margin as a lower bound with its upper limit', () => {
    const html = renderToStaticMarkup(
      <TopTable title="Top source IPs (failures)" field="ip" exact={false} range={range} rows={[{ value: '192.0.2.1', count: 40, margin: 3 }, { value: '192.0.2.2', count: 7 }]} />,
    );
    expect(html).toContain('data-testid="top-ip-approximate"');
    expect(html).toContain('≥ 40');
    expect(html).toContain('title="between 40 and 43"');
    expect(html).not.toContain('≥ 7');
  });

  it('says nothing of approximation for an exact list', () => {
    const html = renderToStaticMarkup(<TopTable title="Top source IPs (failures)" field="ip" range={range} rows={[{ value: '192.0.2.1', count: 40 }]} />);
    expect(html).not.toContain('approximate');
    expect(html).not.toContain('≥');
  });
});
