import {
  incrementalSearchRequest,
  lastModifiedProperty,
  newestModification,
  nextSyncCursor,
  SearchRequestError,
} from '../../../connectors/hubspot/incremental-search';
import { PROPERTIES_TO_READ } from '../../../connectors/hubspot/read-properties';

const SINCE = Date.parse('2024-05-01T10:00:00.000Z'); // 1714557600000, the value in NOTES §4.1's example

describe('incrementalSearchRequest', () => {
  it('builds the NOTES §4.1 search body with the right last-modified property', () => {
    expect(incrementalSearchRequest('contacts', { since: SINCE }, ['email'])).toEqual({
      filterGroups: [
        { filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '1714557600000' }] },
      ],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email', 'lastmodifieddate'],
      limit: 200,
    });
    expect(lastModifiedProperty('deals')).toBe('hs_lastmodifieddate');
    expect(incrementalSearchRequest('deals', { since: SINCE, after: '200' }, []).after).toBe('200');
  });

  it('keeps the bodies of every object type we read under 3,000 characters', () => {
    for (const type of ['contacts', 'deals', 'line_items', 'products', 'tickets'] as const) {
      const body = incrementalSearchRequest(type, { since: SINCE, after: '9800' }, PROPERTIES_TO_READ[type]);
      expect(JSON.stringify(body).length).toBeLessThanOrEqual(3_000);
    }
    const many = Array.from({ length: 200 }, (_, i) => `custom_property_${i}`);
    expect(() => incrementalSearchRequest('contacts', { since: SINCE }, many)).toThrow(SearchRequestError);
  });
});

describe('nextSyncCursor', () => {
  const page = (after: string | undefined, lastModified: string) => ({
    results: [{ id: '1', properties: { lastmodifieddate: lastModified } }],
    ...(after === undefined ? {} : { paging: { next: { after } } }),
  });

  it('pages on, stops on the last page, and restarts by time before the 10,000-result cap', () => {
    expect(nextSyncCursor('contacts', { since: SINCE }, page('200', '2024-05-02T00:00:00.000Z'))).toEqual({
      since: SINCE,
      after: '200',
    });
    expect(
      nextSyncCursor('contacts', { since: SINCE }, page(undefined, '2024-05-02T00:00:00.000Z')),
    ).toBeUndefined();
    expect(
      nextSyncCursor('contacts', { since: SINCE, after: '9800' }, page('10000', '2024-05-02T00:00:00.000Z')),
    ).toEqual({ since: Date.parse('2024-05-02T00:00:00.000Z') });
    expect(() =>
      nextSyncCursor('contacts', { since: SINCE, after: '9800' }, page('10000', '2024-05-01T10:00:00.000Z')),
    ).toThrow(/run a full sync/);
  });

  it('reports the newest modification time of a page, from ISO or epoch values', () => {
    expect(
      newestModification('deals', {
        results: [
          { id: '1', properties: { hs_lastmodifieddate: '2024-05-02T00:00:00.000Z' } },
          { id: '2', properties: { hs_lastmodifieddate: '1714608000001' } },
          { id: '3', properties: {} },
        ],
      }),
    ).toBe(1714608000001);
  });
});
