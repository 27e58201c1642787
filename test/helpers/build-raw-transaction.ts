import type { RawTransaction } from '../../domain/raw-transaction';

let nextLine = 2;

/** A RawTransaction as the readers yield it (every key present), with increasing line numbers. */
export function buildRow(overrides: Partial<RawTransaction> = {}): RawTransaction {
  return {
    line: nextLine++,
    customerId: 'c1',
    orderId: 'o1',
    date: '2024-01-10',
    amount: '10',
    productId: undefined,
    quantity: undefined,
    unitPrice: undefined,
    channel: undefined,
    currency: undefined,
    country: undefined,
    description: undefined,
    malformed: undefined,
    ...overrides,
  };
}
