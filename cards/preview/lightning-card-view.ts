/**
 * The Salesforce card's own view logic (cards/salesforce/…/lwc/clvCardView/clvCardView.js: what the Lightning
 * component makes of ClvCardController's answer), loaded as it is so the demo preview shows a Salesforce
 * contact exactly as the card on the Contact record page would. It is an ES module of the SFDX project, not
 * compiled into dist/: it is found beside the repository's cards/ folder, from the source tree or from dist.
 * Node ≥ 20.19 requires it (require of an ES module); jest compiles it (jest.config.js).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const VIEW_MODULE = join(
  'cards',
  'salesforce',
  'force-app',
  'main',
  'default',
  'lwc',
  'clvCardView',
  'clvCardView.js',
);

/** ClvCardController.CardResult: the card API's status and body as Apex hands them to the component. */
export type CardResult = { statusCode: number; body: string };

/** One next best action as the card lists it; `pending` while an answer is on its way. */
export type LightningActionRow = {
  id: string;
  title: string;
  reason: string;
  offerText: string | null;
  outcomeLabel: string | null;
  canAnswer: boolean;
  canComplete: boolean;
  pending: boolean;
};

/** The view module's JSDoc `CardView` (card-response-jsdoc.test.ts holds the two to each other). */
export type LightningCardView = {
  scored: boolean;
  reason: string | null;
  badges: { key: string; label: string; className: string }[];
  segmentDescription: string | null;
  stats: { key: string; label: string; value: string }[];
  drivers: { key: string; text: string }[];
  hasDrivers: boolean;
  nextOrderText: string | null;
  recommendations: { key: string; name: string; reason: string }[];
  hasRecommendations: boolean;
  actions: LightningActionRow[];
  hasActions: boolean;
  playbookTitle: string;
  playbookSections: { key: string; heading: string; text: string }[];
  hasPlaybook: boolean;
  openSections: string[];
  modelLine: string;
};

export type LightningCardLoad =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'empty'; message: string }
  | { state: 'loaded'; view: LightningCardView };

type ViewModule = {
  cardLoad(result: CardResult, locale: string, timeZone: string): LightningCardLoad;
};

/** The view module's file: the first ancestor of this file's folder that holds cards/salesforce. */
export function viewModulePath(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, VIEW_MODULE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`the Salesforce card's view module ${VIEW_MODULE} is not beside ${from} or above it`);
  }
}

let loaded: ViewModule | undefined;

/** What the Lightning card shows for the card API's answer (clvCardView's cardLoad). */
export function lightningCardLoad(result: CardResult, locale: string, timeZone: string): LightningCardLoad {
  loaded ??= createRequire(__filename)(viewModulePath()) as ViewModule;
  return loaded.cardLoad(result, locale, timeZone);
}
