/** The calendar quarter (UTC) a moment falls in: what the sandboxes' seeded campaigns run for. */
export type CalendarQuarter = { startMs: number; endMs: number; label: string };

export function calendarQuarterOf(ms: number): CalendarQuarter {
  const d = new Date(ms);
  const q = Math.floor(d.getUTCMonth() / 3);
  return {
    startMs: Date.UTC(d.getUTCFullYear(), q * 3, 1),
    // The last millisecond of the quarter: the next quarter starts at endMs + 1.
    endMs: Date.UTC(d.getUTCFullYear(), q * 3 + 3, 1) - 1,
    label: `${d.getUTCFullYear()} Q${q + 1}`,
  };
}
