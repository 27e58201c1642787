/**
 * The Salesforce card's view module (an LWC module in plain JS, cards/salesforce/.../clvCardView.js), loaded
 * through jest's transform with the types its JSDoc declares, as the tests use them. card-response-jsdoc.test.ts
 * checks those JSDoc types against the server's CardResponse.
 */
import path from 'node:path';
import type { CardResponse } from '../../../cards/contact-card/card-response';

export const VIEW_MODULE = path.resolve(
  __dirname,
  '../../../cards/salesforce/force-app/main/default/lwc/clvCardView/clvCardView.js',
);

export type ActionRow = {
  id: string;
  title: string;
  reason: string;
  offerText: string | null;
  outcomeLabel: string | null;
  canAnswer: boolean;
  canComplete: boolean;
  pending: boolean;
};

export type CardView = {
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
  actions: ActionRow[];
  hasActions: boolean;
  playbookTitle: string;
  playbookSections: { key: string; heading: string; text: string }[];
  hasPlaybook: boolean;
  openSections: string[];
  modelLine: string;
};

export type CardLoad =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'empty'; message: string }
  | { state: 'loaded'; view: CardView };

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
