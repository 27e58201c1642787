/**
 * The Salesforce card's view module (an LWC module in plain JS, cards/salesforce/.../clvCardView.js), loaded
 * through jest's transform with the types its JSDoc declares, as the tests use them. card-response-jsdoc.test.ts
 * checks those JSDoc types against the server's CardResponse.
 */
import path from 'node:path';
import type { CardResponse } from '../../../cards/contact-card/card-response';
import type {
  LightningCardLoad as CardLoad,
  LightningCardView as CardView,
} from '../../../cards/preview/lightning-card-view';

export const VIEW_MODULE = path.resolve(
  __dirname,
  '../../../cards/salesforce/force-app/main/default/lwc/clvCardView/clvCardView.js',
);

export type {
  LightningActionRow as ActionRow,
  LightningCardView as CardView,
  LightningCardLoad as CardLoad,
} from '../../../cards/preview/lightning-card-view';

export type ViewModule = {
  MAX_RECOMMENDATIONS: number;
  MAX_ACTIONS: number;
  churnBandClass(band: 'low' | 'medium' | 'high'): string;
  toCardView(response: CardResponse, locale: string, timeZone: string): CardView;
  cardLoad(result: { statusCode: number; body: string }, locale: string, timeZone: string): CardLoad;
  withActionProgress(
    view: CardView,
    progress: Record<string, { outcome: 'accepted' | 'dismissed' | 'completed'; pending: boolean }>,
  ): CardView;
  errorMessage(error: unknown): string;
};

export function loadViewModule(): ViewModule {
  return jest.requireActual<ViewModule>(VIEW_MODULE);
}
