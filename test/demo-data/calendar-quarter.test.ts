import { calendarQuarterOf } from '../../demo-data/calendar-quarter';

describe('calendarQuarterOf', () => {
  it('gives the UTC quarter a moment falls in, from its first to its last millisecond', () => {
    const q = calendarQuarterOf(Date.UTC(2024, 4, 17, 13, 5));
    expect(q.label).toBe('2024 Q2');
    expect(new Date(q.startMs).toISOString()).toBe('2024-04-01T00:00:00.000Z');
    expect(new Date(q.endMs).toISOString()).toBe('2024-06-30T23:59:59.999Z');
  });

  it('puts the quarter edges on the right side and rolls over the year', () => {
    expect(calendarQuarterOf(Date.UTC(2023, 11, 31, 23, 59, 59, 999)).label).toBe('2023 Q4');
    expect(calendarQuarterOf(Date.UTC(2024, 0, 1)).label).toBe('2024 Q1');
    expect(calendarQuarterOf(Date.UTC(2024, 2, 31, 23, 59, 59, 999)).label).toBe('2024 Q1');
    expect(calendarQuarterOf(Date.UTC(2024, 3, 1)).label).toBe('2024 Q2');
    // The next quarter starts one millisecond after a quarter's end.
    const q4 = calendarQuarterOf(Date.UTC(2023, 10, 2));
    expect(calendarQuarterOf(q4.endMs + 1)).toEqual({
      startMs: Date.UTC(2024, 0, 1),
      endMs: Date.UTC(2024, 3, 1) - 1,
      label: '2024 Q1',
    });
  });
});
