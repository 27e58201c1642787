import { liveArms } from '../../../worker/analytics/programs';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

describe('liveArms', () => {
  const programs = [
    { id: 'a', status: 'active' as const, windowDays: 10 },
    { id: 'b', status: 'active' as const, windowDays: 30 },
    { id: 'gone', status: 'ended' as const, windowDays: 60 },
  ];
  const enrolments = new Map([
    [
      'a',
      [
        { customerId: 'x', arm: 'control' as const, enrolledAt: T0 },
        { customerId: 'y', arm: 'treatment' as const, enrolledAt: T0 + 5 * DAY_MS },
      ],
    ],
    // x's window in 'a' closes on day 10; from then on x is in 'b' (enrolled on day 12).
    ['b', [{ customerId: 'x', arm: 'treatment' as const, enrolledAt: T0 + 12 * DAY_MS }]],
    ['gone', [{ customerId: 'z', arm: 'treatment' as const, enrolledAt: T0 }]],
  ]);

  it('gives the arm while the window is open, none after it and in an ended program', () => {
    // Before x joined 'b' (day 12): only its enrolment in 'a' exists.
    const beforeB = new Map([...enrolments].filter(([id]) => id !== 'b'));
    const day3 = liveArms(programs, beforeB, T0 + 3 * DAY_MS);
    expect(Object.fromEntries(day3.groups)).toEqual({ x: 'control', y: 'treatment', z: 'none' });
    // x's window (day 10) closes before y's (day 15).
    expect(day3.changesAt).toBe(T0 + 10 * DAY_MS);

    const day10 = liveArms(programs, beforeB, T0 + 10 * DAY_MS);
    expect(Object.fromEntries(day10.groups)).toEqual({ x: 'none', y: 'treatment', z: 'none' });
    expect(day10.changesAt).toBe(T0 + 15 * DAY_MS);
  });

  it('a live enrolment in another program wins over a closed one, whatever the order', () => {
    const day13 = liveArms(programs, enrolments, T0 + 13 * DAY_MS);
    expect(day13.groups.get('x')).toBe('treatment');
    expect(liveArms([...programs].reverse(), enrolments, T0 + 13 * DAY_MS).groups.get('x')).toBe('treatment');
    const day50 = liveArms(programs, enrolments, T0 + 50 * DAY_MS);
    expect(Object.fromEntries(day50.groups)).toEqual({ x: 'none', y: 'none', z: 'none' });
    expect(day50.changesAt).toBe(Infinity);
  });
});
