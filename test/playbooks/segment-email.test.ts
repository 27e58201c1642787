import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPlaybooksDir } from '../../playbooks/assets';
import { loadEmailTemplates, segmentEmailContexts } from '../../playbooks/email';
import type { Score } from '../../domain/score';

const base = { clvHistoric: 0, expectedOrders: 1, modelVersion: 'm', scoredAt: '2026-11-01T00:00:00Z' };
const rec = (productName: string) => ({ productId: productName, productName, score: 1, reason: '' });

const scores: Score[] = [
  {
    ...base,
    customerId: 'a',
    segmentId: 'seg-1',
    segmentName: 'Big <spenders>',
    rfmSegment: 'At Risk',
    clvPredicted: 100,
    churnRisk: 'high',
    recommendations: [rec('Mugs & <Cups>'), rec('Tea')],
  },
  {
    ...base,
    customerId: 'b',
    segmentId: 'seg-1',
    segmentName: 'Big <spenders>',
    rfmSegment: 'At Risk',
    clvPredicted: 300,
    churnRisk: 'low',
    recommendations: [rec('Tea')],
  },
  {
    ...base,
    customerId: 'c',
    segmentId: 'seg-2',
    segmentName: 'Newcomers',
    rfmSegment: 'Champions',
    clvPredicted: 50,
  },
];

describe('segment email contexts', () => {
  it('has one context per behavioural and RFM segment with size, mean CLV, high-risk share and top products', () => {
    const contexts = segmentEmailContexts(scores, 'EUR');
    expect(contexts.map((c) => `${c.kind}:${c.key}`)).toEqual([
      'segment:seg-1',
      'segment:seg-2',
      'rfm:at_risk',
      'rfm:champions',
    ]);
    expect(contexts[0]).toMatchObject({
      segmentName: 'Big <spenders>',
      customers: 2,
      averageClv: 200,
      highRiskShare: 0.5,
    });
    // Tea is recommended to both customers, the mugs to one.
    expect(contexts[0].products).toEqual(['Tea', 'Mugs & <Cups>']);
    expect(contexts[1].products).toEqual([]);
  });
});

describe('segment email offer', () => {
  // Treated customers with a pricing-guidance offer: a at 15%, b at 10%; c has none.
  const offers = new Map([
    ['a', 0.15],
    ['b', 0.1],
  ]);
  const contexts = segmentEmailContexts(scores, 'EUR', offers);
  const byKey = (key: string) => contexts.find((c) => c.key === key)!;

  it("offers the smallest treated customer's discount (worth it for each), and nothing where none is treated", () => {
    expect(byKey('seg-1').offer).toEqual({ discount: 0.1, customers: 2 });
    expect(byKey('at_risk').offer).toEqual({ discount: 0.1, customers: 2 });
    expect(byKey('seg-2').offer).toBeNull();
    expect(byKey('champions').offer).toBeNull();
    expect(segmentEmailContexts(scores, 'EUR').every((c) => c.offer === null)).toBe(true);
  });

  it("puts the discount in the Offer section, and leaves the section's old words where there is none", () => {
    const templates = loadEmailTemplates(defaultPlaybooksDir());
    const offerOf = (key: string, withOffers: boolean) =>
      templates
        .render(
          segmentEmailContexts(scores, 'EUR', withOffers ? offers : new Map()).find((c) => c.key === key)!,
        )
        .sections.find((s) => s.key === 'offer')!.text;
    expect(offerOf('at_risk', true)).toMatch(
      /^Take 10% off your next order: our thank-you for staying with us\./,
    );
    expect(offerOf('at_risk', false)).toBe(
      'Your next order comes with free delivery; tell us if something went wrong and we will put it right.',
    );
    expect(offerOf('seg-2', true)).not.toMatch(/% off/);
  });
});

describe('segment email snippets', () => {
  const templates = loadEmailTemplates(defaultPlaybooksDir());
  const contexts = segmentEmailContexts(scores, 'EUR');
  const rendered = contexts.map((c) => templates.render(c));

  it('uses the RFM segment’s own file where there is one, the default elsewhere', () => {
    expect(rendered.map((r) => r.template)).toEqual([
      'default.hbs',
      'default.hbs',
      'at_risk.hbs',
      'champions.hbs',
    ]);
    expect(rendered[2].subject).toBe('We miss you, {{ contact.firstname }}');
  });

  it('keeps HubSpot tokens as tokens and escapes product names in HTML, not in text', () => {
    const seg1 = rendered[0];
    expect(seg1.subject).toBe('Picked for you, {{ contact.firstname }}: Tea and Mugs & <Cups>');
    const products = seg1.sections.find((s) => s.key === 'products')!;
    expect(products.html).toBe('<p>Customers like you are choosing Tea and Mugs &amp; &lt;Cups&gt;.</p>');
    expect(products.text).toBe('Customers like you are choosing Tea and Mugs & <Cups>.');
    expect(seg1.sections.find((s) => s.key === 'opening')!.html).toMatch(
      /^<p>Hi \{\{ contact\.firstname \}\},<\/p><p>Thank you/,
    );
  });

  it('leaves the products paragraph out when the segment has no recommendations', () => {
    expect(rendered[1].sections.find((s) => s.key === 'products')).toEqual({
      key: 'products',
      text: '',
      html: '',
    });
  });

  it('refuses a template with an unknown value or a missing section, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-clv-email-'));
    mkdirSync(join(dir, 'templates', 'email'), { recursive: true });
    const write = (name: string, body: string) => writeFileSync(join(dir, 'templates', 'email', name), body);
    write('default.hbs', '## Subject\nHi {{segmentNme}}\n## Opening\nx\n## Offer\nx\n## Products\nx\n');
    expect(() => loadEmailTemplates(dir)).toThrow(/default\.hbs, section Subject: .*segmentNme/);
    write('default.hbs', '## Subject\nHi\n## Opening\nx\n## Offer\nx\n');
    expect(() => loadEmailTemplates(dir)).toThrow(/default\.hbs: section "## Products" is missing/);
    write('default.hbs', '## Subject\nHi\n## Opening\nx\n## Offer\nx\n## Products\nx\n');
    write('at_rsk.hbs', '## Subject\nHi\n## Opening\nx\n## Offer\nx\n## Products\nx\n');
    expect(() => loadEmailTemplates(dir)).toThrow(/email\/at_rsk\.hbs: no RFM segment has this name/);
  });
});
