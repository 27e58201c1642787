/** The salesforce bench stage's report (stages/salesforce-sync-writeback.ts): seconds and calls per method. */
import { count, formatTable, mebibytes, seconds } from './format-table';
import type { SalesforceBenchResult } from './stages/salesforce-sync-writeback';

const share = (calls: number, allocation: number) => `${((calls / allocation) * 100).toFixed(3)} %`;

export function reportSalesforce(r: SalesforceBenchResult): string {
  const rows = Object.entries(r.rows)
    .map(([type, n]) => `${type} ${count(n)}`)
    .join(', ');
  const syncRows = r.syncs.map((s) => {
    const bulk = Object.entries(s.readVia)
      .filter(([, via]) => via === 'bulk')
      .map(([object]) => object);
    return [
      s.label,
      seconds(s.ms),
      count(s.records),
      `${count(s.apiCalls)} (sandbox ${count(s.sandboxCalls)})`,
      share(s.sandboxCalls, r.dailyAllocation),
      bulk.length === 0 ? '—' : `${bulk.join(', ')}: ${s.bulkJobs} jobs, ${s.bulkPolls} polls`,
    ];
  });
  const writeRows = r.writes.map((w) => [
    w.label,
    seconds(w.ms),
    `${count(w.written)} of ${count(w.changed)}${w.failed > 0 ? `, ${count(w.failed)} failed` : ''}`,
    `${count(w.writeCalls)} (sandbox ${count(w.sandboxCalls)})`,
    share(w.sandboxCalls, r.dailyAllocation),
  ]);
  return [
    `salesforce: ${count(r.contacts)} contacts (seed ${r.seed}) seeded in ${seconds(r.seedMs)}: ${rows}`,
    '',
    formatTable(
      ['full sync', 'wall', 'rows read', 'API calls', `of ${count(r.dailyAllocation)}/day`, 'Bulk API 2.0'],
      syncRows,
      ['left', 'right', 'right', 'right', 'right', 'left'],
    ),
    '',
    formatTable(
      [
        'write-back (every contact changed)',
        'wall',
        'written',
        'API calls',
        `of ${count(r.dailyAllocation)}/day`,
      ],
      writeRows,
      ['left', 'right', 'right', 'right', 'right'],
    ),
    '',
    `peak RSS (client and sandbox in one process): ${mebibytes(r.peakRssMiB)}. Wall times include the in-process ` +
      "sandbox's work and, for Bulk, 1 s polls; they are not Salesforce's times.",
  ].join('\n');
}
