import type { Customer } from '../../domain/records';

/** A canonical HubSpot customer record with the required fields filled, plus the given ones. */
export function customerRecord(id: string, extra: Partial<Customer> = {}): Customer {
  return {
    id,
    tenant: 't',
    source: 'hubspot',
    externalId: id,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}
