import { isInputError } from '../../domain/errors';
import { nextBestActionSchema, scoreSchema } from '../../domain/score';
import { loadPlaybooks, PlaybookConfigError, type PlaybooksOptions } from '../../playbooks';
import { buildFacts, buildScore, rule, writeRuleFile } from './builders';

/** Playbooks with the given rule file content; the file is removed again at once (it is read at load). */
function withRules(content: unknown, options: PlaybooksOptions = {}) {
  const file = writeRuleFile(content);
  try {
    return loadPlaybooks({ ...options, rulesFile: file.path });
  } finally {
    file.remove();
  }
}

function problemsOf(content: unknown): string[] {
  try {
    withRules(content);
  } catch (error) {
    expect(error).toBeInstanceOf(PlaybookConfigError);
    expect((error as PlaybookConfigError).code).toBe('PLAYBOOK_CONFIG_INVALID');
    expect(isInputError(error)).toBe(true);
    return [...(error as PlaybookConfigError).problems].map((p) =>
      p.replace(/^.*next-best-actions\.json: /, ''),
    );
  }
  throw new Error('a broken rule file was accepted');
}

const ids = (actions: { id: string }[]) => actions.map((a) => a.id);

describe('next best actions: the shipped rules', () => {
  const playbooks = loadPlaybooks();

  it('a valuable customer at high risk with an open ticket: tickets, a call, then the priced offer', () => {
    const actions = playbooks.nextBestActions(buildScore(), buildFacts({ openTickets: 1 }));
    expect(ids(actions)).toEqual(['resolve-open-tickets', 'save-valuable-at-risk', 'retention-offer']);
    expect(actions[0]).toMatchObject({
      kind: 'escalate',
      title: "Get Ada's open tickets resolved",
      reason:
        'Ada has 1 open support ticket and is at high churn risk; an unresolved ticket undoes any offer.',
      priority: 95,
    });
    // p·u·V / O = 0.62 × 0.1 × 1,200 / 180 = 0.413 → the 20% ceiling; 20% × £180 = £36.
    expect(actions[2]).toMatchObject({
      kind: 'offer',
      title: "Offer up to 20% off Ada's next order",
      offer: { discount: 0.2, amount: 36, currency: 'GBP' },
    });
    for (const action of actions) expect(nextBestActionSchema.parse(action)).toBeTruthy();
    // And they fit the Score they belong to.
    expect(() => scoreSchema.parse({ ...buildScore(), nextBestActions: actions })).not.toThrow();
  });

  it('shows no offer to a customer of low value or low risk', () => {
    expect(ids(playbooks.nextBestActions(buildScore(), buildFacts({ clvQuintile: 2 })))).not.toContain(
      'retention-offer',
    );
    const safe = playbooks.nextBestActions(
      buildScore({ churnRisk: 'low', churnProbability: 0.05 }),
      buildFacts({ daysSinceLastOrder: 10 }),
    );
    expect(ids(safe)).toEqual(['cross-sell-email']);
    expect(safe[0].title).toBe('Suggest Desk lamp to Ada');
  });

  it('leaves the control group of a retention test alone', () => {
    const actions = playbooks.nextBestActions(buildScore({ retentionGroup: 'control' }), buildFacts());
    expect(ids(actions)).not.toContain('save-valuable-at-risk');
    expect(ids(actions)).not.toContain('retention-offer');
  });

  it('is deterministic and capped at three by default, fewer when asked', () => {
    const a = playbooks.nextBestActions(buildScore(), buildFacts({ openTickets: 2 }));
    const b = playbooks.nextBestActions(buildScore(), buildFacts({ openTickets: 2 }));
    expect(a).toEqual(b);
    expect(a).toHaveLength(3);
    expect(playbooks.maxActions).toBe(3);
    expect(
      ids(playbooks.nextBestActions(buildScore(), buildFacts({ openTickets: 2 }), { limit: 1 })),
    ).toEqual(['resolve-open-tickets']);
  });
});

describe('next best actions: evaluation', () => {
  it('orders by priority, equal priorities in the file’s order, and caps', () => {
    const playbooks = withRules({
      rules: [
        rule('b-low', { priority: 10 }),
        rule('a-tie-first', { priority: 50 }),
        rule('c-high', { priority: 90 }),
        rule('a-tie-second', { priority: 50 }),
        rule('d-disabled', { priority: 100, enabled: false }),
      ],
    });
    expect(ids(playbooks.nextBestActions(buildScore(), buildFacts(), { limit: 10 }))).toEqual([
      'c-high',
      'a-tie-first',
      'a-tie-second',
      'b-low',
    ]);
    expect(ids(playbooks.nextBestActions(buildScore(), buildFacts()))).toEqual([
      'c-high',
      'a-tie-first',
      'a-tie-second',
    ]);
  });

  it('takes the cap from the rule file, and the option over it', () => {
    const rules = { maxActions: 2, rules: [rule('a'), rule('b'), rule('c')] };
    expect(withRules(rules).nextBestActions(buildScore(), buildFacts())).toHaveLength(2);
    expect(withRules(rules, { maxActions: 1 }).nextBestActions(buildScore(), buildFacts())).toHaveLength(1);
  });

  it('ranges include their bounds: min is ≥, max is ≤', () => {
    const playbooks = withRules({
      rules: [
        rule('quiet-60-plus', { when: { daysSinceLastOrder: { min: 60 } } }),
        rule('p-alive-at-most-half', { when: { pAlive: { max: 0.5 } } }),
        rule('top-two-fifths', { when: { clvQuintile: { min: 4, max: 5 } } }),
      ],
    });
    const at = (days: number, pAlive: number, clvQuintile: 1 | 2 | 3 | 4 | 5) =>
      ids(
        playbooks.nextBestActions(
          buildScore({ pAlive }),
          buildFacts({ daysSinceLastOrder: days, clvQuintile }),
        ),
      );
    expect(at(60, 0.5, 4)).toEqual(['quiet-60-plus', 'p-alive-at-most-half', 'top-two-fifths']);
    expect(at(59, 0.51, 3)).toEqual([]);
    expect(at(61, 0.49, 5)).toEqual(['quiet-60-plus', 'p-alive-at-most-half', 'top-two-fifths']);
  });

  it('matches bands, segments (by kind), RFM segments, recommendations and tickets', () => {
    const playbooks = withRules({
      rules: [
        rule('high-risk', { when: { churnRisk: ['high'] } }),
        rule('occasional', { when: { segment: ['Occasional'] } }),
        rule('champions', { when: { rfmSegment: ['Champions'] } }),
        rule('no-recs', { when: { hasRecommendations: false } }),
        rule('tickets', { when: { openTickets: { min: 1 } } }),
        rule('gap', { when: { gapMultiple: { min: 3 } } }),
      ],
      maxActions: 10,
    });
    const matched = (score: Parameters<typeof buildScore>[0], facts: Parameters<typeof buildFacts>[0] = {}) =>
      // 120 days quiet over a usual gap of 41: 2.9×, under the 3× of "gap" unless a test says otherwise.
      ids(playbooks.nextBestActions(buildScore(score), buildFacts({ usualGapDays: 41, ...facts })));
    expect(matched({ churnRisk: 'medium' })).toEqual([]);
    expect(matched({ churnRisk: 'high' })).toEqual(['high-risk']);
    expect(matched({ churnRisk: 'low', segmentName: 'Occasional (less recent, longer tenure)' })).toEqual([
      'occasional',
    ]);
    expect(matched({ churnRisk: 'low', segmentName: 'Occasional low spenders' })).toEqual([]);
    expect(matched({ churnRisk: 'low', rfmSegment: 'Champions', recommendations: [] })).toEqual([
      'champions',
      'no-recs',
    ]);
    expect(matched({ churnRisk: 'low' }, { openTickets: 1, usualGapDays: 40 })).toEqual(['tickets', 'gap']);
  });

  it('a condition on a value the customer does not have does not hold', () => {
    const playbooks = withRules({
      rules: [
        rule('needs-p-alive', { when: { pAlive: { min: 0 } } }),
        rule('needs-quintile', { when: { clvQuintile: { max: 5 } } }),
        rule('needs-gap', { when: { gapMultiple: { min: 0 } } }),
        rule('needs-segment', { when: { segment: ['Lapsing big spenders'] } }),
      ],
    });
    const actions = playbooks.nextBestActions(
      buildScore({ pAlive: undefined, segmentName: undefined }),
      buildFacts({ clvQuintile: undefined, usualGapDays: undefined }),
    );
    expect(actions).toEqual([]);
  });

  it('an offer rule shows only when a discount is worth offering', () => {
    const playbooks = withRules({
      rules: [rule('offer', { action: { kind: 'offer' }, title: 'Offer {{percent discount}}' })],
    });
    expect(playbooks.nextBestActions(buildScore(), buildFacts())[0]).toMatchObject({
      title: 'Offer 20%',
      offer: { discount: 0.2 },
    });
    // 0.05 × 0.1 × 1,200 / 180 = 0.033: less than one 5% step.
    expect(playbooks.nextBestActions(buildScore({ churnProbability: 0.05 }), buildFacts())).toEqual([]);
  });

  it('keeps titles within the 255 characters of the CRM property', () => {
    const playbooks = withRules({ rules: [rule('long', { title: '{{firstName}} needs a call' })] });
    const [action] = playbooks.nextBestActions(buildScore(), buildFacts({ firstName: 'A'.repeat(400) }));
    expect([...action.title]).toHaveLength(255);
    expect(action.title.endsWith('…')).toBe(true);
  });

  it('writes rule texts as plain text (the card escapes them where it makes HTML)', () => {
    const playbooks = withRules({ rules: [rule('plain', { title: 'Call {{firstName}}' })] });
    expect(playbooks.nextBestActions(buildScore(), buildFacts({ firstName: "O'Brien & Co" }))[0].title).toBe(
      "Call O'Brien & Co",
    );
  });
});

describe('a broken rule file stops start-up', () => {
  it('names the rule by index and id, and the field', () => {
    expect(
      problemsOf({
        rules: [
          rule('ok'),
          rule('typo-band', { when: { churnRisk: ['hgh'] } }),
          rule('bad-kind', { action: { kind: 'sms' } }),
          rule('inverted', { when: { pAlive: { min: 0.8, max: 0.2 } } }),
          rule('no-priority', { priority: undefined }),
          rule('Bad Id'),
        ],
      }),
    ).toEqual([
      `rules[1] ("typo-band"), field when.churnRisk[0]: Invalid enum value. Expected 'low' | 'medium' | 'high', received 'hgh'`,
      `rules[2] ("bad-kind"), field action.kind: Invalid discriminator value. Expected 'call' | 'email' | 'offer' | 'task' | 'escalate'`,
      'rules[3] ("inverted"), field when.pAlive: "min" is above "max"',
      'rules[4] ("no-priority"), field priority: Required',
      'rules[5] ("Bad Id"), field id: use lower-case letters, digits and hyphens, e.g. "win-back-call"',
    ]);
  });

  it('names an unknown field and lists the ones that exist', () => {
    const [problem] = problemsOf({ rules: [rule('misspelt', { when: { churnRsk: ['high'] } })] });
    expect(problem).toMatch(
      /^rules\[0\] \("misspelt"\), field when: unknown field "churnRsk"; the fields here are churnRisk, churnProbability, pAlive, clvQuintile, /,
    );
  });

  it('names a template problem in a title or reason, and a repeated id', () => {
    expect(
      problemsOf({
        rules: [
          rule('one', { reason: 'Last order {{daysSinceLastOder}} days ago' }),
          rule('one', { title: '{{{firstName}}}' }),
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^rules\[0\] \("one"\), field reason: unknown value "daysSinceLastOder"/),
      'rules[1] ("one"), field id: the same id as rules[0]; ids must be unique',
      'rules[1] ("one"), field title: {{{…}}} and {{& …}} print a value unescaped; use {{…}}',
    ]);
  });

  it('says when the file is not JSON, is missing, or has no rules', () => {
    expect(problemsOf('{ "rules": [ { "id": "x", } ] }')[0]).toMatch(/^not valid JSON \(/);
    expect(problemsOf({ rules: [] })).toEqual(['field rules: Array must contain at least 1 element(s)']);
    expect(() => loadPlaybooks({ rulesFile: '/nonexistent/rules.json' })).toThrow(
      /\/nonexistent\/rules\.json: cannot be read \(ENOENT/,
    );
  });

  it('the message lists every problem and says what to do', () => {
    const file = writeRuleFile({ rules: [rule('x', { priority: 101 })] });
    try {
      expect(() => loadPlaybooks({ rulesFile: file.path })).toThrow(
        /The playbooks cannot be loaded \(1 problem\); fix it and start again:\n {2}- .*rules\[0\] \("x"\), field priority: Number must be less than or equal to 100/,
      );
    } finally {
      file.remove();
    }
  });
});
