/**
 * The dashboard's sales-performance section from a hand-made stored report: a tenant with acquisition spend
 * shows each channel's CAC, CLV:CAC and payback; one without says where the spend comes from.
 */
import { renderPerformanceSection } from '../../cards/dashboard/render-performance';
import { buildChannel, buildRep, buildSalesPerformance } from '../report/sales-report-builders';

const rowsOf = (html: string, testId: string) =>
  [...html.matchAll(new RegExp(`<tr data-testid="${testId}">(.*?)</tr>`, 'g'))].map((m) =>
    [...m[1].matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]),
  );

describe('dashboard sales performance', () => {
  it("shows a channel's CAC, CLV:CAC and payback when the tenant has spend, dashes for a channel without", () => {
    const html = renderPerformanceSection(
      buildSalesPerformance({
        channels: [
          buildChannel({
            channel: 'PAID_SEARCH',
            meanClv: 480,
            spend: 6000,
            customersInSpendMonths: 30,
            cac: 200,
            clvToCac: 2.4,
            paybackMonths: 5,
          }),
          buildChannel({ channel: 'ORGANIC_SEARCH', meanClv: 500 }),
        ],
      }),
    );
    expect(rowsOf(html, 'channel-row')).toEqual([
      ['PAID_SEARCH', '120', '$480', '$200', '2.40', '5.0 months'],
      ['ORGANIC_SEARCH', '120', '$500', '—', '—', '—'],
    ]);
    expect(html).toContain('<th>Payback</th>');
    expect(html).not.toContain('No CAC');
  });

  it('says where CAC comes from when no channel has spend, and escapes names', () => {
    const html = renderPerformanceSection(
      buildSalesPerformance({
        reps: [buildRep({ repName: 'Bob <script>' })],
        channels: [buildChannel({ channel: 'A&B' })],
      }),
    );
    expect(html).toContain('No CAC: the tenant has no acquisition spend');
    expect(html).toContain('crm-clv tenant spend --tenant T --file spend.csv');
    expect(html).toContain('Bob &lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(rowsOf(html, 'channel-row')[0][0]).toBe('A&amp;B');
  });
});
