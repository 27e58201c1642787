import { crmAttributesFromRecords, openCasesAt, priorityRank } from '../../worker/pipeline/crm-attributes';
import { customerRecord } from '../helpers/customer-record';

describe('CRM attributes for the engine', () => {
  it('ranks ticket priorities, higher = more urgent, whatever the case', () => {
    expect(['low', 'MEDIUM', 'High', 'urgent'].map(priorityRank)).toEqual([1, 2, 3, 4]);
    expect(priorityRank('someday')).toBeUndefined();
    expect(priorityRank(undefined)).toBeUndefined();
  });

  it('keeps demographics and engagement per customer and drops cases without a readable date', () => {
    const crm = crmAttributesFromRecords(
      [
        customerRecord('c1', {
          age: 41,
          gender: 'female',
          engagement: { pageViews: 3, visits: 2, emailOpens: 5, emailClicks: 1, socialClicks: 0 },
        }),
      ],
      [
        { id: 's1', customerId: 'c1', openedAt: '2026-02-01T09:00:00.000Z', priority: 'high' },
        { id: 's2', customerId: 'c1', openedAt: 'not a date' },
      ],
    );
    expect(crm.customers.get('c1')).toMatchObject({
      age: 41,
      gender: 'female',
      engagement: { pageViews: 3, emailOpens: 5, emailClicks: 1, socialClicks: 0 },
    });
    expect(crm.serviceCases).toEqual([
      { customerId: 'c1', openedAtMs: Date.UTC(2026, 1, 1, 9), closed: false, priority: 3 },
    ]);
  });

  it('keeps first names, and counts the cases open at the end of a day (closed without a date is closed)', () => {
    const crm = crmAttributesFromRecords(
      [customerRecord('c1', { firstName: ' Ada ' }), customerRecord('c2', { firstName: '  ' })],
      [
        { id: 's1', customerId: 'c1', openedAt: '2026-02-01T09:00:00.000Z' },
        {
          id: 's2',
          customerId: 'c1',
          openedAt: '2026-02-01T09:00:00.000Z',
          closedAt: '2026-02-03T00:00:00.000Z',
        },
        {
          id: 's3',
          customerId: 'c1',
          openedAt: '2026-02-01T09:00:00.000Z',
          closedAt: '2026-02-02T23:00:00.000Z',
        },
        { id: 's4', customerId: 'c1', openedAt: '2026-02-01T09:00:00.000Z', status: 'Closed' },
        { id: 's5', customerId: 'c2', openedAt: '2026-02-03T00:00:00.000Z' },
        { id: 's6', customerId: 'c2', openedAt: '2026-02-02T23:59:59.000Z', status: 'Waiting on contact' },
      ],
    );
    expect(crm.customers.get('c1')?.firstName).toBe('Ada');
    expect(crm.customers.get('c2')?.firstName).toBeUndefined();
    const day = Date.UTC(2026, 1, 2) / 86_400_000;
    // s1 open; s2 closed the day after; s3 closed that day; s4 closed undated; s5 opened after; s6 open.
    expect(openCasesAt(crm.serviceCases, day)).toEqual(
      new Map([
        ['c1', 2],
        ['c2', 1],
      ]),
    );
  });
});
