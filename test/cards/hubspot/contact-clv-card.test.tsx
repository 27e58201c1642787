/**
 * The card's entry (ContactClvCard.tsx) with `hubspot.extend` and `hubspot.fetch` replaced: a failed load shows
 * the error, "Try again" shows the spinner again until the new answer arrives, then the card.
 */
import React from 'react';
import { Button, ErrorState, LoadingSpinner, Statistics } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { buildCardResponse } from './build-card-response';

const captured: { fn?: (api: unknown) => React.ReactElement } = {};
const fetchMock = jest.fn();
jest.mock('@hubspot/ui-extensions', () => {
  const actual = jest.requireActual('@hubspot/ui-extensions');
  return {
    ...actual,
    hubspot: {
      ...actual.hubspot,
      extend: (fn: never) => (captured.fn = fn),
      fetch: (...a: unknown[]) => fetchMock(...a),
    },
  };
});

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

it('loads, fails, goes back to the spinner on a retry, then shows the card', async () => {
  fetchMock.mockResolvedValueOnce({ ok: false, status: 500, json: async () => ({}) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../cards/hubspot/src/app/cards/ContactClvCard');
  const renderer = createRenderer('crm.record.sidebar');
  const el = captured.fn!({
    context: { portal: { id: 1, timezone: 'UTC' }, crm: { objectId: 7 }, user: { id: 3, locale: 'en-US' } },
    actions: { addAlert: jest.fn() },
  });
  renderer.render(el);
  expect(renderer.find(LoadingSpinner)).toBeTruthy();
  await flush();
  expect(renderer.find(ErrorState)).toBeTruthy();
  let resolve!: (v: unknown) => void;
  fetchMock.mockReturnValueOnce(new Promise((r) => (resolve = r)));
  renderer.find(Button).trigger('onClick');
  await flush();
  expect(renderer.find(LoadingSpinner)).toBeTruthy();
  expect(renderer.maybeFind(ErrorState)).toBeNull();
  resolve({ ok: true, status: 200, json: async () => buildCardResponse() });
  await flush();
  expect(renderer.find(Statistics)).toBeTruthy();
  expect(fetchMock).toHaveBeenCalledTimes(2);
});
