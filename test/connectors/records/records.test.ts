import { validateBatch, validateRecord, type Order } from '../../../domain/records';

function buildOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const order: Order = {
    id: 'o1',
    customerId: 'c1',
    placedAt: '2024-05-01T10:00:00.000Z',
    amount: 120.5,
    currency: 'EUR',
    status: 'won',
    lines: [{ productId: 'p1', quantity: 2, unitPrice: 60.25 }],
  };
  return { ...order, ...overrides };
}

describe('validateBatch', () => {
  it('keeps valid records and reports invalid ones with id and a sentence naming the field', () => {
    const result = validateBatch('order', [buildOrder(), buildOrder({ id: 'o2', amount: 'abc' })]);
    expect(result.valid.map((o) => o.id)).toEqual(['o1']);
    expect(result.rejected).toEqual([
      { type: 'order', id: 'o2', reason: "amount: expected a number, got 'abc'" },
    ]);
  });

  it('names missing fields, enum values, dates and nested paths', () => {
    const { rejected } = validateBatch('order', [
      buildOrder({
        id: 'o3',
        placedAt: undefined,
        status: 'open',
        lines: [{ productId: 'p', quantity: 'x', unitPrice: 1 }],
      }),
    ]);
    expect(rejected[0].reason).toBe(
      [
        'placedAt: is required but was not provided',
        "status: expected one of 'won', 'refunded', 'cancelled', got 'open'",
        "lines.0.quantity: expected a number, got 'x'",
      ].join('; '),
    );
    const bad = validateRecord('customer', {
      id: 'c1',
      tenant: 't',
      source: 'hubspot',
      externalId: 'c1',
      createdAt: 'yesterday',
      updatedAt: '2024-05-01T10:00:00.000Z',
      birthDate: '01/02/1990',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.rejection.reason).toBe(
        "createdAt: expected an ISO-8601 datetime such as 2024-05-01T10:00:00.000Z, got 'yesterday'; " +
          "birthDate: expected a date YYYY-MM-DD, got '01/02/1990'",
      );
  });

  it('reports a record without an id as "(no id)" and rejects empty names', () => {
    const { rejected } = validateBatch('product', [{ name: '' }]);
    expect(rejected[0].id).toBe('(no id)');
    expect(rejected[0].reason).toBe('id: is required but was not provided; name: must not be empty');
  });

  it('accepts every canonical type in its minimal form', () => {
    expect(validateBatch('rep', [{ id: 'r1', name: 'Ada' }]).valid).toHaveLength(1);
    expect(
      validateBatch('serviceCase', [{ id: 's1', customerId: 'c1', openedAt: '2024-01-01T00:00:00Z' }]).valid,
    ).toHaveLength(1);
    expect(
      validateBatch('customer', [
        {
          id: 'c1',
          tenant: '1000',
          source: 'csv',
          externalId: 'c1',
          createdAt: '2024-01-01T00:00:00Z',
          updatedAt: '2024-01-01T00:00:00Z',
        },
      ]).valid,
    ).toHaveLength(1);
  });
});
