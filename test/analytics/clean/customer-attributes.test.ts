import type { RawTransaction } from '../../../domain/raw-transaction';
import { createCleaner } from '../../../worker/analytics/clean/cleaner';
import type { CleanResult } from '../../../worker/analytics/clean/types';
import type { CleanerConfigInput } from '../../../worker/analytics/clean/config';
import { buildRow } from '../../helpers/build-raw-transaction';

function clean(rows: RawTransaction[], config: Partial<CleanerConfigInput> = {}): CleanResult {
  const cleaner = createCleaner({ observationEnd: '2024-12-31', ...config });
  for (const row of rows) cleaner.add(row);
  return cleaner.finish();
}

describe('createCleaner: customer country', () => {
  it('keeps the first non-empty country per customer, in the renumbered customer order', () => {
    const r = clean([
      // 'gone' only cancels, so it has no order and is not a customer of the result.
      buildRow({ customerId: 'gone', orderId: 'C9', amount: '-3', country: 'France' }),
      buildRow({ customerId: 'b', orderId: 'o1', country: '  ' }),
      buildRow({ customerId: 'b', orderId: 'o2', country: ' EIRE ' }),
      buildRow({ customerId: 'b', orderId: 'o3', country: 'Germany' }),
      buildRow({ customerId: 'a', orderId: 'o4' }),
      buildRow({ customerId: 'c', orderId: 'o5', country: 'EIRE' }),
    ]);
    expect(r.customers).toEqual(['b', 'a', 'c']);
    expect(r.customerCountry).toEqual(['EIRE', '', 'EIRE']);
  });

  it('takes the country from a row that is not a purchase when it comes first', () => {
    const r = clean(
      [
        buildRow({ customerId: 'a', orderId: 'C1', amount: '-2', country: 'Spain' }),
        buildRow({ customerId: 'a', orderId: 'o1', country: 'Portugal' }),
      ],
      { cancelledOrderPrefix: 'C' },
    );
    expect(r.customerCountry).toEqual(['Spain']);
  });

  it('leaves customerCountry out when no row has a country', () => {
    const r = clean([buildRow({ customerId: 'a' }), buildRow({ customerId: 'b', orderId: 'o2' })]);
    expect(r.customerCountry).toBeUndefined();
  });
});

describe('createCleaner: cancellation events', () => {
  it('lists every cancellation and refund row with the renumbered customer, time and absolute value', () => {
    const r = clean(
      [
        buildRow({ customerId: 'x', orderId: 'C1', date: '2024-01-05', amount: '-4' }),
        buildRow({ customerId: 'a', orderId: 'o1', date: '2024-01-10', amount: '10' }),
        buildRow({ customerId: 'b', orderId: 'o2', date: '2024-01-11', amount: '8' }),
        // Cancellation by invoice prefix, by negative quantity and a refund by negative amount.
        buildRow({ customerId: 'b', orderId: 'C2', date: '2024-02-01', amount: '-2.5' }),
        buildRow({
          customerId: 'a',
          orderId: 'o3',
          date: '2024-02-02',
          amount: undefined,
          quantity: '-2',
          unitPrice: '1.5',
        }),
        buildRow({ customerId: 'a', orderId: 'r1', date: '2024-02-03T10:00', amount: '-1' }),
        // 8 − 2.5 − 5.5 = 0: b's only order is fully cancelled, so b has no index (−1) in the result.
        buildRow({ customerId: 'b', orderId: 'C3', date: '2024-02-04', amount: '-5.5' }),
      ],
      { cancelledOrderPrefix: 'C' },
    );
    expect(r.customers).toEqual(['a']);
    const c = r.cancellations!;
    expect(Array.from(c.customer)).toEqual([-1, -1, 0, 0, -1]);
    expect(Array.from(c.value)).toEqual([4, 2.5, 3, 1, 5.5]);
    expect(Array.from(c.time)).toEqual([
      Date.UTC(2024, 0, 5),
      Date.UTC(2024, 1, 1),
      Date.UTC(2024, 1, 2),
      Date.UTC(2024, 1, 3, 10),
      Date.UTC(2024, 1, 4),
    ]);
    expect(c.customer.length).toBe(r.quality.cancellations.rows);
    // The events are the rows, not their netting: a's 10 is reduced by 3 + 1.
    expect(Array.from(r.orders.amount)).toEqual([6]);
  });

  it('returns empty columns when nothing was cancelled', () => {
    const r = clean([buildRow()]);
    expect(r.cancellations!.customer.length).toBe(0);
    expect(r.cancellations!.value.length).toBe(0);
  });
});
