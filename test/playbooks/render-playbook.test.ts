import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInputError } from '../../domain/errors';
import { RFM_SEGMENTS } from '../../domain/rfm-segments';
import { BEHAVIOURAL_SEGMENT_KINDS } from '../../domain/segment-kinds';
import { loadPlaybooks, PLAYBOOK_SECTIONS, PlaybookConfigError } from '../../playbooks';
import { buildFacts, buildScore, copyPlaybooksDir } from './builders';

const playbooks = loadPlaybooks();

/** Every playbook, reached the way the card reaches it: by a Score's segment. */
function everyPlaybookScore() {
  return [
    ...BEHAVIOURAL_SEGMENT_KINDS.map((kind) => buildScore({ segmentName: kind })),
    ...RFM_SEGMENTS.map((segment) => buildScore({ segmentName: undefined, rfmSegment: segment })),
    buildScore({ segmentName: undefined, rfmSegment: undefined }),
  ];
}

describe('renderPlaybook', () => {
  it("fills in the customer's figures", () => {
    const rendered = playbooks.renderPlaybook(buildScore(), buildFacts());
    expect(rendered.segmentKey).toBe('behavioural:lapsing_big_spenders');
    expect(rendered.title).toBe('Win back a lapsing big spender');
    const goal = rendered.sections.find((s) => s.key === 'goal')!;
    expect(goal.text).toContain('Ada last ordered 120 days ago, 3× their usual gap of 40 days.');
    expect(goal.text).toContain(
      'Churn risk is high (62%): no order for 120 days, longer than 80% of customers.',
    );
    const talk = rendered.sections.find((s) => s.key === 'talkingPoints')!;
    expect(talk.text).toContain('- Suggest Desk lamp and Vase.');
    // The pricing guidance: 0.62 × 0.1 × 1,200 / 180 = 0.41, capped at the 20% ceiling; 20% of £180 = £36.
    const offer = rendered.sections.find((s) => s.key === 'offerGuidance')!;
    expect(offer.text).toBe(
      'Up to 20% off the next order (about £36.00) is worth offering; never go above it.',
    );
  });

  it('formats money in the tenant currency, percentages and dates', () => {
    const rendered = playbooks.renderPlaybook(
      buildScore({ segmentName: 'High-value loyal', clvHistoric: 12345.6, clvPredicted: 2500 }),
      buildFacts({ currency: 'EUR' }),
    );
    expect(rendered.text).toContain(
      'Ada has spent €12,346 so far and is expected to bring €2,500 more over the next 12 months.',
    );
    expect(rendered.text).toContain('The next order is expected by 9 Mar 2026.');
  });

  it('escapes customer data in the HTML and keeps it as written in the text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const rendered = playbooks.renderPlaybook(
      buildScore({
        recommendations: [{ productId: 'p', productName: 'Tom & Jerry "<b>"', score: 1, reason: '' }],
      }),
      buildFacts({ firstName: evil }),
    );
    expect(rendered.html).not.toContain('<img');
    expect(rendered.html).not.toContain('<b>');
    expect(rendered.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(rendered.html).toContain('Tom &amp; Jerry &quot;&lt;b&gt;&quot;');
    expect(rendered.text).toContain(evil);
    // Only our own tags remain.
    const tags = new Set([...rendered.html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['h3', 'h4', 'li', 'p', 'ul']);
  });

  it('escapes the template’s own text in the HTML too', () => {
    const rendered = playbooks.renderPlaybook(
      buildScore({ segmentName: 'Lapsing big spenders' }),
      buildFacts(),
    );
    expect(rendered.html).toContain('An automated &quot;we miss you&quot; email');
  });

  it('reads well without the optional facts: no "undefined", "NaN" or dashes for missing values', () => {
    const bare = { currency: 'USD' };
    for (const score of everyPlaybookScore()) {
      for (const [s, f] of [
        [score, bare],
        [
          buildScore({
            ...score,
            churnProbability: undefined,
            churnRisk: undefined,
            churnDrivers: undefined,
            recommendations: undefined,
            nextOrderDate: undefined,
            expectedOrderValue: undefined,
            pAlive: undefined,
          }),
          bare,
        ],
        [score, buildFacts()],
      ] as const) {
        const rendered = playbooks.renderPlaybook(s, f);
        expect(rendered.text).not.toMatch(/undefined|NaN|\[object|–|\{\{/);
        expect(rendered.sections.map((x) => x.key)).toEqual(PLAYBOOK_SECTIONS.map((x) => x.key));
      }
    }
    const anonymous = playbooks.renderPlaybook(buildScore(), { currency: 'USD' });
    expect(anonymous.text).toContain('This customer used to spend a lot');
  });

  it('uses the RFM playbook when asked, and the general one without any segment', () => {
    expect(playbooks.renderPlaybook(buildScore(), buildFacts(), { prefer: 'rfm' }).segmentKey).toBe(
      'rfm:cant_lose_them',
    );
    const none = playbooks.renderPlaybook(
      buildScore({ segmentName: undefined, rfmSegment: undefined }),
      buildFacts(),
    );
    expect(none).toMatchObject({ segmentKey: 'fallback', segmentation: 'fallback' });
    expect(none.segmentName).toBeUndefined();
  });
});

describe('loading playbook templates', () => {
  let copy: ReturnType<typeof copyPlaybooksDir>;
  beforeEach(() => (copy = copyPlaybooksDir()));
  afterEach(() => copy.remove());

  const edit = (file: string, change: (text: string) => string) => {
    const path = join(copy.dir, 'templates', file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  };
  const problemsOf = (): string[] => {
    try {
      loadPlaybooks({ dir: copy.dir });
    } catch (error) {
      expect(error).toBeInstanceOf(PlaybookConfigError);
      expect(isInputError(error)).toBe(true);
      return [...(error as PlaybookConfigError).problems];
    }
    throw new Error('loadPlaybooks accepted a broken playbook');
  };

  it('loads the copy unchanged', () => {
    expect(loadPlaybooks({ dir: copy.dir }).playbookKeys).toHaveLength(
      BEHAVIOURAL_SEGMENT_KINDS.length + RFM_SEGMENTS.length + 1,
    );
  });

  it('refuses triple-stash and {{& …}} (unescaped output)', () => {
    edit('rfm/champions.hbs', (t) => t.replace('{{Name}} bought recently', '{{{Name}}} bought recently'));
    edit('rfm/lost.hbs', (t) => t.replace('## Cadence\n', '## Cadence\n{{& firstName}}\n'));
    expect(problemsOf()).toEqual([
      expect.stringMatching(
        /^rfm\/champions\.hbs line 3 \(Goal\): \{\{\{…\}\}\} and \{\{& …\}\} print a value unescaped/,
      ),
      expect.stringMatching(/^rfm\/lost\.hbs line \d+ \(Cadence\): \{\{\{…\}\}\} and \{\{& …\}\}/),
    ]);
  });

  it('names a misspelt value, an unknown helper and a partial with file, line and section', () => {
    edit('behavioural/occasional.hbs', (t) =>
      t.replace('## Avoid\n', '## Avoid\n- {{daysSinceLastOder}} {{shout name}} {{> footer}}\n'),
    );
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^behavioural\/occasional\.hbs line \d+ \(Avoid\): unknown value "daysSinceLastOder"; the values are firstName, /,
        ),
        expect.stringMatching(
          /^behavioural\/occasional\.hbs line \d+ \(Avoid\): unknown helper "shout"; the helpers are money, /,
        ),
        expect.stringMatching(/partials/),
      ]),
    );
  });

  it('names a syntax error, a missing or unknown section and an empty one', () => {
    edit('rfm/promising.hbs', (t) => t.replace('## Goal\n', '## Goal\n{{#if firstName}}unclosed\n'));
    edit('rfm/at_risk.hbs', (t) => t.replace('## Cadence', '## Rhythm'));
    edit('rfm/hibernating.hbs', (t) => t.replace(/## Avoid\n[^#]*/, '## Avoid\n\n'));
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^rfm\/promising\.hbs line 4 \(Goal\): Parse error: .* Expecting .*, got 'EOF'$/,
        ),
        expect.stringMatching(
          /^rfm\/at_risk\.hbs line \d+: unknown section "Rhythm"; the sections are Goal, Talking points, Offer guidance, Avoid, Cadence$/,
        ),
        'rfm/at_risk.hbs: section "## Cadence" is missing',
        expect.stringMatching(/^rfm\/hibernating\.hbs line \d+: section "Avoid" is empty$/),
      ]),
    );
  });

  it('stops when a segment has no playbook, or a file matches no segment', () => {
    rmSync(join(copy.dir, 'templates', 'behavioural', 'cooling_regulars.hbs'));
    writeFileSync(join(copy.dir, 'templates', 'rfm', 'champion.hbs'), '# x\n');
    expect(problemsOf()).toEqual([
      'behavioural/cooling_regulars.hbs: missing; every segment needs a playbook (copy another one and adapt it)',
      expect.stringMatching(
        /^rfm\/champion\.hbs: no RFM segment has this name; the files are champions\.hbs, /,
      ),
    ]);
  });
});
