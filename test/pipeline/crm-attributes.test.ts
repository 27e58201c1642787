import { crmAttributesFromRecords, priorityRank } from '../../worker/pipeline/crm-attributes';
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
      { customerId: 'c1', openedAtMs: Date.UTC(2026, 1, 1, 9), priority: 3 },
    ]);
  });
});
