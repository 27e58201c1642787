import { segmentFromScoreJson } from '../../worker/state/score-segment-text';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('segmentFromScoreJson: the two ids from a stored Score without parsing it', () => {
  it('reads them from the layout the engine stores', () => {
    const score = { customerId: 'C1 é', clvHistoric: 1, segmentId: 's-2', churnDrivers: [{ text: '[x]' }] };
    expect(segmentFromScoreJson(bytes(score))).toEqual({ customerId: 'C1 é', segmentId: 's-2' });
    // The key's text inside a string is escaped there, so only the real key matches.
    const decoy = { customerId: 'C1', reason: 'x,"segmentId":"y', segmentId: 's' };
    expect(segmentFromScoreJson(bytes(decoy))).toEqual({ customerId: 'C1', segmentId: 's' });
  });

  it('leaves to the parser what it cannot read for sure', () => {
    for (const score of [
      { customerId: 'C"1', segmentId: 's' }, // an escape in an id
      { customerId: 'C1', segmentId: 'a\\b' },
      { customerId: 'C1', clvHistoric: 1 }, // no segment id
      { customerId: '', segmentId: 's' }, // empty ids
      { customerId: 'C1', segmentId: '' },
      { clvHistoric: 1, customerId: 'C1', segmentId: 's' }, // another layout
      { customerId: 'C1', nested: { segmentId: 'inner' } }, // a nested object's key
      { customerId: 'C1', list: ['[', '{'], segmentId: 's' }, // after a nested array
    ])
      expect(segmentFromScoreJson(bytes(score))).toBeUndefined();
  });
});
