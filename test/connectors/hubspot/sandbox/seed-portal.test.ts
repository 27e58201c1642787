import { seedPortal } from '../../../../connectors/hubspot/sandbox';

describe('HubSpot sandbox seed', () => {
  it('is deterministic by seed and differs between seeds', () => {
    const a = seedPortal({ portalId: '1', seed: 7, contacts: 300 });
    const b = seedPortal({ portalId: '1', seed: 7, contacts: 300 });
    const c = seedPortal({ portalId: '1', seed: 8, contacts: 300 });
    const dump = (s: typeof a) =>
      JSON.stringify([...s.objects.contacts.byId.values(), ...s.objects.deals.byId.values()]);
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('keeps every seeded timestamp before the observation end and won deals consistent with their line items', () => {
    const end = '2026-06-30T00:00:00.000Z';
    const store = seedPortal({ portalId: '1', seed: 3, contacts: 400, observationEnd: end });
    for (const contact of store.objects.contacts.byId.values()) {
      expect(contact.updatedAt < end).toBe(true);
      expect(contact.createdAt <= contact.updatedAt).toBe(true);
      expect(contact.properties.lastmodifieddate).toBe(contact.updatedAt);
    }
    const lines = store.associations.get('deals|line_items');
    for (const deal of store.objects.deals.byId.values()) {
      const total = (lines?.get(deal.id) ?? []).reduce(
        (sum, edge) => sum + Number(store.objects.line_items.byId.get(edge.toId)?.properties.amount),
        0,
      );
      expect(Number(deal.properties.amount)).toBeCloseTo(total, 2);
      expect(deal.properties.hs_lastmodifieddate).toBe(deal.updatedAt);
    }
    const won = [...store.objects.deals.byId.values()].filter((d) => d.properties.dealstage === 'closedwon');
    expect(won.length).toBeGreaterThan(50);
  });
});
