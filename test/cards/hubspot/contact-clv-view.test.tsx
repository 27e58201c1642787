/**
 * The card's view rendered by the testing renderer @hubspot/ui-extensions ships (`createRenderer`): the React
 * tree goes through remote-ui as it does in HubSpot, the tests query the rendered components with their props
 * and text, and an unknown (non-HubSpot) component makes the render throw.
 */
import React from 'react';
import {
  Accordion,
  Button,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  ContactClvView,
  type ActionChoice,
  type ContactClvViewProps,
} from '../../../cards/hubspot/src/app/cards/contact-clv-view';
import { buildCardResponse } from './build-card-response';

function renderView(overrides: Partial<ContactClvViewProps> & Pick<ContactClvViewProps, 'load'>) {
  const onRetry = jest.fn<void, []>();
  const onAction = jest.fn<void, [ActionChoice]>();
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<ContactClvView onRetry={onRetry} onAction={onAction} locale="en-US" {...overrides} />);
  return { ...renderer, onRetry, onAction };
}

describe('the contact card view', () => {
  it('shows a spinner while the card loads, and nothing else', () => {
    const { find, maybeFind } = renderView({ load: { state: 'loading' } });
    expect(find(LoadingSpinner).props.label).toBe('Loading customer value…');
    expect(maybeFind(Statistics)).toBeNull();
    expect(maybeFind(ErrorState)).toBeNull();
  });

  it('shows an error state with the reason and a retry button that calls back', () => {
    const { find, onRetry } = renderView({
      load: { state: 'error', message: 'The customer-value server did not answer.' },
    });
    const error = find(ErrorState);
    expect(error.props.title).toBe('Customer value could not be loaded');
    expect(error.find(Text).text).toBe('The customer-value server did not answer.');
    const retry = error.find(Button);
    expect(retry.text).toBe('Try again');
    retry.trigger('onClick');
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  describe('a scored contact', () => {
    const load = { state: 'loaded', response: buildCardResponse() } as const;

    it('shows predicted and historic CLV in the currency, churn probability and P(alive) as percentages', () => {
      const { find } = renderView({ load });
      const items = find(Statistics)
        .findAll(StatisticsItem)
        .map((item) => [item.props.label, item.props.number]);
      expect(items).toEqual([
        ['Predicted CLV (12 months)', '$1,235'],
        ['Historic CLV', '$5,679'],
        ['Churn probability', '23%'],
        ['P(alive)', '87%'],
      ]);
    });

    it('formats money in the rep’s locale and the response’s currency', () => {
      const response = buildCardResponse({
        clv: { predicted: 1234.5, historic: 10, currency: 'EUR', months: 6 },
      });
      const { find } = renderView({ load: { state: 'loaded', response }, locale: 'de-DE' });
      expect(find(StatisticsItem, { label: 'Predicted CLV (6 months)' }).props.number).toBe('1.235\u00a0€');
    });

    it('tags the segment, and the churn band with the variant of its risk', () => {
      const { findByTestId } = renderView({ load });
      expect(findByTestId(Tag, 'segment-tag').text).toBe('Loyal big spenders');
      const band = findByTestId(Tag, 'churn-band-tag');
      expect(band.text).toBe('High churn risk');
      expect(band.props.variant).toBe('error');
    });

    it.each([
      ['low', 'success'],
      ['medium', 'warning'],
      ['high', 'error'],
    ] as const)('shows a %s churn band as a %s tag', (band, variant) => {
      const response = buildCardResponse({ churn: { probability: 0.5, band, drivers: [] } });
      const { findByTestId } = renderView({ load: { state: 'loaded', response } });
      expect(findByTestId(Tag, 'churn-band-tag').props.variant).toBe(variant);
    });

    it('says the churn drivers in words and the next order date', () => {
      const { findAll } = renderView({ load });
      const texts = findAll(Text).map((t) => t.text);
      expect(texts).toContain('No order for 210 days, longer than 80% of customers');
      expect(texts).toContain('2 open support tickets');
      expect(texts).toContain('Next order expected: Mar 5, 2027');
    });

    it('lists the top 3 recommended products with their reasons', () => {
      const { getRootNode } = renderView({ load });
      const recs = getRootNode()
        .findAll(Text)
        .filter((t) => ['Linen napkins', 'Candle holder', 'Serving tray'].includes(t.text ?? ''));
      expect(recs.map((t) => t.text)).toEqual(['Linen napkins', 'Candle holder', 'Serving tray']);
      expect(
        getRootNode()
          .findAll(Text)
          .map((t) => t.text),
      ).toContain('often bought with Table runner');
    });

    it('offers each action with Accept and Dismiss buttons that report the rep’s choice', () => {
      const { findAll, onAction } = renderView({ load });
      const buttons = findAll(Button).map((b) => b.text);
      expect(buttons.filter((t) => t === 'Accept')).toHaveLength(3);
      expect(buttons.filter((t) => t === 'Dismiss')).toHaveLength(3);

      const accept = findAll(Button).filter((b) => b.text === 'Accept');
      const dismiss = findAll(Button).filter((b) => b.text === 'Dismiss');
      accept[0].trigger('onClick');
      dismiss[2].trigger('onClick');
      expect(onAction.mock.calls).toEqual([
        [{ actionId: 'call-owner', outcome: 'accepted' }],
        [{ actionId: 'email-winback', outcome: 'dismissed' }],
      ]);
    });

    it('words an offer with its discount and what it costs', () => {
      const { findAll } = renderView({ load });
      expect(findAll(Text).map((t) => t.text)).toContain('Offer up to 10% off the next order (about $13).');
    });

    it('replaces the buttons of an action the rep has answered, and offers "Mark done" after an accept', () => {
      const { findAll, onAction } = renderView({
        load,
        actionProgress: { 'call-owner': { outcome: 'accepted', pending: false } },
      });
      expect(findAll(Button).filter((b) => b.text === 'Accept')).toHaveLength(2);
      findAll(Button)
        .find((b) => b.text === 'Mark done')!
        .trigger('onClick');
      expect(onAction).toHaveBeenCalledWith({ actionId: 'call-owner', outcome: 'completed' });
    });

    it('puts the playbook in an accordion, its sections as text (markup stays text)', () => {
      const { find } = renderView({ load });
      const playbook = find(Accordion);
      expect(playbook.props.title).toBe('Loyal big spenders: keep them close');
      const texts = playbook.findAll(Text).map((t) => t.text);
      expect(texts).toEqual([
        'Goal',
        'Ada last ordered 210 days ago, 3× their usual gap.',
        'What to avoid',
        'Blanket <b>discounts</b>.',
      ]);
    });

    it('names the model version and when it scored, in small text', () => {
      const { findAll } = renderView({ load, timeZone: 'America/New_York' });
      const line = findAll(Text, { variant: 'microcopy' }).find((t) => t.text?.startsWith('Model '));
      expect(line?.text).toBe('Model bgnbd-gg-2026-11-30 · scored Dec 1, 2026, 3:30 AM');
    });
  });

  describe('a contact with too little history', () => {
    const response = buildCardResponse({
      status: 'too-little-history',
      reason: 'One order so far: the models need a second to see a buying rhythm.',
      segment: null,
      churn: null,
      pAlive: null,
      nextOrderDate: null,
      rfm: { segment: 'New customers', score: '511' },
    });

    it('shows an empty state with the reason, and the fallback playbook open', () => {
      const { find, maybeFind } = renderView({ load: { state: 'loaded', response } });
      const empty = find(EmptyState);
      expect(empty.find(Text).text).toBe(
        'One order so far: the models need a second to see a buying rhythm.',
      );
      expect(find(Accordion).props.defaultOpen).toBe(true);
      expect(maybeFind(Statistics)).toBeNull();
    });
  });
});
