/**
 * The grid posterior of a BG/NBD customer against the model's published closed forms, with the CDNOW
 * parameters of Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426 (weeks).
 */
import {
  bgNbdGrid,
  onGrid,
  pAliveGiven,
  posteriorAliveValue,
} from '../../../../connectors/hubspot/sandbox/bgnbd-posterior';

const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const grid = bgNbdGrid(CDNOW);

/** P(alive) (Fader, Hardie & Lee 2008, "Computing P(alive) using the BG/NBD model", eq. 2). */
function closedFormPAlive(x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = CDNOW;
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

it('gives the published expected purchases of the CDNOW example customer (x = 2, t_x = 30.43, T = 38.86)', () => {
  // FHL 2005, section 5: 1.226 expected purchases over the next 39 weeks. An alive customer with λ, p buys at
  // rate λe^(−λps) s weeks on, so (1 − e^(−λp·39))/p in 39 weeks.
  const expected = posteriorAliveValue(
    grid,
    { x: 2, tx: 30.43, T: 38.86 },
    onGrid(grid, (l, p) => -Math.expm1(-l * p * 39) / p),
  );
  expect(expected).toBeCloseTo(1.226, 3);
});

it.each([
  [1, 5, 30],
  [2, 30.43, 38.86],
  [5, 10, 52],
  [20, 70, 75],
  [40, 20, 104],
])('gives the closed-form P(alive) for x = %d, t_x = %d, T = %d', (x, tx, T) => {
  expect(
    posteriorAliveValue(
      grid,
      { x, tx, T },
      onGrid(grid, () => 1),
    ),
  ).toBeCloseTo(closedFormPAlive(x, tx, T), 4);
});

it('gives the conjugate posterior mean of λ, r/(α + T), for a customer without repeat purchases', () => {
  // x = 0: always alive, and the likelihood e^(−λT) turns Gamma(r, α) into Gamma(r, α + T). Within 0.1%: the
  // grid starts at λ = 1e-16, and Gamma(0.243, ·) has ~3·10⁻⁴ of its mass below that.
  for (const T of [10, 100])
    expect(
      posteriorAliveValue(
        grid,
        { x: 0, tx: 0, T },
        onGrid(grid, (l) => l),
      ) /
        (0.243 / (4.414 + T)),
    ).toBeCloseTo(1, 3);
});

it('knows a customer with known λ and p is alive by the likelihood ratio of its two histories', () => {
  // λ = 0.5, p = 0.2, x = 3, 10 silent weeks: alive term 0.8·e^(−5), dropped-out term 0.2: P = 1/(1 + 0.25e^5).
  expect(pAliveGiven(0.5, 0.2, { x: 3, tx: 20, T: 30 })).toBeCloseTo(1 / (1 + 0.25 * Math.exp(5)), 12);
  expect(pAliveGiven(0.5, 0.2, { x: 0, tx: 0, T: 30 })).toBe(1);
});

it('names what is wrong with a bad history or parameter', () => {
  const ones = onGrid(grid, () => 1);
  expect(() => posteriorAliveValue(grid, { x: 1.5, tx: 1, T: 2 }, ones)).toThrow(/whole x/);
  expect(() => posteriorAliveValue(grid, { x: 1, tx: 3, T: 2 }, ones)).toThrow(/t_x ≤ T/);
  expect(() => bgNbdGrid({ ...CDNOW, alpha: 0 })).toThrow(/alpha must be/);
  expect(() => posteriorAliveValue(grid, { x: 1, tx: 1, T: 2 }, new Float64Array(3))).toThrow(/grid points/);
});
