import { seedPortal } from '../../../../connectors/hubspot/sandbox';
import { seedOrg } from '../../../../connectors/salesforce/sandbox';

describe('Salesforce sandbox: the seeded org', () => {
  it('holds the same customers, won orders, amounts and close dates as the HubSpot portal of the same seed', () => {
    const portal = seedPortal({ portalId: '1000', seed: 7, contacts: 120 });
    const org = seedOrg({ orgId: '00D000000000001AAA', seed: 7, contacts: 120 });
    const emails = (rows: Iterable<Record<string, unknown>>) => [...rows].map((r) => r.Email).sort();
    expect(emails(org.records.get('Contact')!.values())).toEqual(
      emails([...portal.objects.contacts.byId.values()].map((c) => ({ Email: c.properties.email }))),
    );
    const won = [...portal.objects.deals.byId.values()]
      .filter((d) => d.properties.dealstage === 'closedwon')
      .map((d) => `${d.properties.closedate.slice(0, 10)} ${Number(d.properties.amount).toFixed(2)}`)
      .sort();
    const opportunities = [...org.records.get('Opportunity')!.values()]
      .filter((o) => o.IsWon)
      .map((o) => `${o.CloseDate} ${(o.Amount as number).toFixed(2)}`)
      .sort();
    expect(opportunities).toEqual(won);
    expect(org.records.get('Contact')!.values().next().value!.Id).toMatch(/^0035g[A-Za-z0-9]{13}$/);
  });
});
