/**
 * Playbooks and next best actions, the one entry for the card server:
 *
 *   const playbooks = loadPlaybooks();            // at start-up: reads, validates and compiles; throws
 *                                                 // PlaybookConfigError naming every problem
 *   playbooks.renderPlaybook(score, facts)        // the segment's playbook, filled with the customer's figures
 *   playbooks.nextBestActions(score, facts)       // ≤ 3 actions from rules/next-best-actions.json
 *   playbooks.pricing(score, facts)               // the largest discount worth offering (pricing.ts)
 *
 * Pure after loading: no I/O, no clock (day counts come in CardFacts). Imports domain/ only.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { RFM_SEGMENTS, optionValue, type RfmSegment } from '../domain/rfm-segments';
import type { Score } from '../domain/score';
import {
  BEHAVIOURAL_SEGMENT_KINDS,
  behaviouralSegmentKind,
  type BehaviouralSegmentKind,
} from '../domain/segment-kinds';
import { defaultPlaybooksDir } from './assets';
import type { CardFacts } from './card-facts';
import { playbookContext, type PlaybookContext } from './context';
import { PlaybookConfigError } from './errors';
import { evaluateRules, type SuggestedAction } from './next-best-actions';
import {
  filesIn,
  loadPlaybookFile,
  renderSections,
  type CompiledPlaybook,
  type RenderedSection,
} from './playbook-files';
import { pricingConfigSchema, pricingGuidance, type PricingConfig, type PricingGuidance } from './pricing';
import { loadRuleFile, type NextBestActionRule } from './rules';
import { escapeHtml } from './templates';

export { cardFactsSchema, type CardFacts } from './card-facts';
export { CONTEXT_KEYS, type PlaybookContext } from './context';
export { PlaybookConfigError } from './errors';
export type { SuggestedAction } from './next-best-actions';
export { PLAYBOOK_SECTIONS, type PlaybookSectionKey, type RenderedSection } from './playbook-files';
export { pricingConfigSchema, pricingGuidance, type PricingConfig, type PricingGuidance } from './pricing';
export { ACTION_KINDS, type ActionKind, type ActionSpec, type NextBestActionRule } from './rules';

export const DEFAULT_MAX_ACTIONS = 3;

export type PlaybooksOptions = {
  /** Folder with templates/ and rules/ (default: the repository's playbooks/). */
  dir?: string;
  /** The rule file (default: <dir>/rules/next-best-actions.json). */
  rulesFile?: string;
  /** Actions per customer; default the rule file's maxActions, else 3. */
  maxActions?: number;
  /** Pricing assumptions (pricing.ts): uplift 0.1, ceiling 0.2, step 0.05 unless given. */
  pricing?: Partial<PricingConfig>;
};

const optionsSchema = z
  .object({
    dir: z.string().min(1).optional(),
    rulesFile: z.string().min(1).optional(),
    maxActions: z.number().int().min(1).max(10).optional(),
    pricing: pricingConfigSchema.optional(),
  })
  .strict();

export type SegmentationChoice = 'behavioural' | 'rfm';

export type RenderedPlaybook = {
  /** "behavioural:<kind>", "rfm:<segment>" (option values, e.g. "rfm:cant_lose_them") or "fallback". */
  segmentKey: string;
  segmentation: SegmentationChoice | 'fallback';
  /** The customer's own segment name (qualified as the engine named it); absent for the fallback. */
  segmentName?: string;
  title: string;
  titleHtml: string;
  sections: RenderedSection[];
  /** The whole playbook as one HTML fragment (<h3>, <h4>, <p>, <ul>), every value escaped. */
  html: string;
  text: string;
};

export type Playbooks = {
  /**
   * The playbook for the customer's behavioural segment kind (else, or with `prefer: 'rfm'` first, the RFM
   * segment's; else the general one), filled with the customer's figures.
   */
  renderPlaybook(score: Score, facts: CardFacts, options?: { prefer?: SegmentationChoice }): RenderedPlaybook;
  /** At most `limit` (default maxActions) actions, highest priority first, ties in the rule file's order. */
  nextBestActions(score: Score, facts: CardFacts, options?: { limit?: number }): SuggestedAction[];
  pricing(score: Score, facts: CardFacts): PricingGuidance;
  /** Every playbook loaded, by key. */
  readonly playbookKeys: readonly string[];
  readonly rules: readonly NextBestActionRule[];
  readonly maxActions: number;
  readonly pricingConfig: PricingConfig;
};

export function behaviouralPlaybookKey(kind: BehaviouralSegmentKind): string {
  return `behavioural:${optionValue(kind)}`;
}

export function rfmPlaybookKey(segment: RfmSegment): string {
  return `rfm:${optionValue(segment)}`;
}

/** Every playbook file the engine's vocabulary needs, relative to templates/. */
function expectedPlaybooks(): { key: string; file: string }[] {
  return [
    ...BEHAVIOURAL_SEGMENT_KINDS.map((k) => ({
      key: behaviouralPlaybookKey(k),
      file: `behavioural/${optionValue(k)}.hbs`,
    })),
    ...RFM_SEGMENTS.map((s) => ({ key: rfmPlaybookKey(s), file: `rfm/${optionValue(s)}.hbs` })),
    { key: 'fallback', file: 'fallback.hbs' },
  ];
}

/**
 * Reads, validates and compiles every playbook template and the rule file; call once at start-up. Throws
 * PlaybookConfigError listing every problem (a missing or broken playbook, an invalid rule naming its index,
 * id and field), so a broken edit stops the server instead of reaching a rep.
 */
export function loadPlaybooks(options: PlaybooksOptions = {}): Playbooks {
  const parsedOptions = optionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    throw new PlaybookConfigError(
      parsedOptions.error.issues.map((i) => `option ${i.path.join('.') || '(options)'}: ${i.message}`),
    );
  }
  const opts = parsedOptions.data;
  const dir = opts.dir ?? defaultPlaybooksDir();
  const templatesDir = join(dir, 'templates');
  const rulesFile = opts.rulesFile ?? join(dir, 'rules', 'next-best-actions.json');
  const pricingConfig = pricingConfigSchema.parse(opts.pricing ?? {});
  const problems: string[] = [];

  const playbooks = new Map<string, CompiledPlaybook>();
  const expected = expectedPlaybooks();
  for (const { key, file } of expected) {
    const compiled = loadPlaybookFile(key, templatesDir, file, problems);
    if (compiled) playbooks.set(key, compiled);
  }
  // A file no segment uses is most likely a misspelt name: say so rather than ignore it.
  const known = new Set(expected.map((e) => e.file));
  for (const folder of ['behavioural', 'rfm']) {
    for (const f of filesIn(join(templatesDir, folder), '.hbs')) {
      if (!known.has(`${folder}/${f}`))
        problems.push(
          `${folder}/${f}: no ${folder === 'rfm' ? 'RFM segment' : 'behavioural segment kind'} has this name; ` +
            `the files are ${expected
              .filter((e) => e.file.startsWith(`${folder}/`))
              .map((e) => e.file.slice(folder.length + 1))
              .join(', ')}`,
        );
    }
  }
  const loadedRules = loadRuleFile(rulesFile, rulesFile, problems);
  if (problems.length || !loadedRules) throw new PlaybookConfigError(problems);

  const rules = loadedRules.rules;
  const maxActions = opts.maxActions ?? loadedRules.maxActions ?? DEFAULT_MAX_ACTIONS;

  const pricing = (score: Score, facts: CardFacts) => pricingGuidance(score, facts, pricingConfig);
  const contextOf = (score: Score, facts: CardFacts): PlaybookContext =>
    playbookContext(score, facts, pricing(score, facts));

  const choose = (score: Score, prefer: SegmentationChoice) => {
    const kind = score.segmentName === undefined ? undefined : behaviouralSegmentKind(score.segmentName);
    const rfm = RFM_SEGMENTS.find((s) => s === score.rfmSegment);
    const behavioural = kind && {
      segmentation: 'behavioural' as const,
      key: behaviouralPlaybookKey(kind),
      segmentName: score.segmentName,
    };
    const byRfm = rfm && { segmentation: 'rfm' as const, key: rfmPlaybookKey(rfm), segmentName: rfm };
    const order = prefer === 'rfm' ? [byRfm, behavioural] : [behavioural, byRfm];
    return (
      order.find((c) => c) ?? { segmentation: 'fallback' as const, key: 'fallback', segmentName: undefined }
    );
  };

  return {
    renderPlaybook(score, facts, renderOptions = {}) {
      const choice = choose(score, renderOptions.prefer ?? 'behavioural');
      const playbook = playbooks.get(choice.key)!;
      const context = contextOf(score, facts);
      const sections = renderSections(playbook, context);
      const title = playbook.title.text(context).trim();
      const titleHtml = playbook.title.html(context).trim();
      return {
        segmentKey: choice.key,
        segmentation: choice.segmentation,
        ...(choice.segmentName === undefined ? {} : { segmentName: choice.segmentName }),
        title,
        titleHtml,
        sections,
        html: [
          `<h3>${titleHtml}</h3>`,
          ...sections.map((s) => `<h4>${escapeHtml(s.heading)}</h4>\n${s.html}`),
        ].join('\n'),
        text: [title, ...sections.map((s) => `${s.heading}\n${s.text}`)].join('\n\n'),
      };
    },
    nextBestActions(score, facts, callOptions = {}) {
      const guidance = pricing(score, facts);
      return evaluateRules(
        rules,
        playbookContext(score, facts, guidance),
        guidance,
        callOptions.limit ?? maxActions,
        facts.programOffer,
      );
    },
    pricing,
    playbookKeys: [...playbooks.keys()],
    rules,
    maxActions,
    pricingConfig,
  };
}
