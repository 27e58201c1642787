import { frequencyFit, probabilityHistogram, valueHistogram } from '../../worker/report/distributions';

describe('valueHistogram', () => {
  it('counts every customer once in round-number bands, the tails in open first and last bands', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 10 * 1.01 ** i); // 10 … ≈ 209,000, log-uniform
    const bins = valueHistogram([...values, NaN]);
    expect(bins.reduce((s, b) => s + b.customers, 0)).toBe(1000);
    expect(bins.length).toBeLessThanOrEqual(10);
    expect(bins[0].label.startsWith('< ')).toBe(true);
    expect(bins[bins.length - 1].label.startsWith('≥ ')).toBe(true);
    for (let k = 1; k < bins.length; k++) expect(bins[k].from).toBe(bins[k - 1].to);
    // Edges are 1, 2 or 5 × a power of ten (or finer round steps), never arbitrary cut points.
    for (const b of bins.slice(1)) expect(String(b.from)).toMatch(/^(1|1\.5|2|2\.5|3|5|7)0*$/);
  });

  it('puts equal values in a single band and gives no bands for no values', () => {
    expect(valueHistogram([5, 5, 5])).toEqual([{ label: '5', from: 5, to: 5, customers: 3 }]);
    expect(valueHistogram([])).toEqual([]);
  });
});

describe('probabilityHistogram', () => {
  it('bins [0, 1] in tenths, 1 in the last bin, NaN left out', () => {
    const bins = probabilityHistogram([0, 0.05, 0.1, 0.55, 0.999, 1, NaN]);
    expect(bins.map((b) => b.customers)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(bins[0].label).toBe('0.0–0.1');
  });
});

describe('frequencyFit', () => {
  it('adds P(X(T) = x) over customers, grouping equal ages, the remaining mass in the last bucket', () => {
    // A model where X(T) ~ Poisson(T): customers aged 1, 1 and 2 (by hand: e^-1, e^-1 and e^-2 at x = 0).
    const poisson = (n: number, t: number) => (Math.exp(-t) * t ** n) / [1, 1, 2, 6, 24, 120, 720][n];
    const calls: number[] = [];
    const fit = frequencyFit([0, 1, 9], [1, 1, 2], (n, t) => (calls.push(t), poisson(n, t)));
    expect(fit.map((b) => b.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(fit.map((b) => b.actual)).toEqual([1, 1, 0, 0, 0, 0, 0, 1]);
    expect(fit[0].expected).toBeCloseTo(2 * Math.exp(-1) + Math.exp(-2), 12);
    expect(fit[1].expected).toBeCloseTo(2 * Math.exp(-1) + 2 * Math.exp(-2), 12);
    expect(fit.reduce((s, b) => s + b.expected, 0)).toBeCloseTo(3, 12);
    expect(new Set(calls)).toEqual(new Set([1, 2]));
    expect(calls).toHaveLength(2 * 7);
  });
});
