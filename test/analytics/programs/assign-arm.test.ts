import { assignArm, assignmentDraw } from '../../../worker/analytics/programs';

describe('assignArm', () => {
  it('gives a customer the same arm every time and a draw that does not depend on call order', () => {
    const first = Array.from({ length: 50 }, (_, i) => assignArm('hubspot-1', 'winback', `c${i}`, 0.5));
    const again = Array.from({ length: 50 }, (_, i) =>
      assignArm('hubspot-1', 'winback', `c${49 - i}`, 0.5),
    ).reverse();
    expect(again).toEqual(first);
  });

  it('draws in [0, 1) from SHA-256 of tenant, program and customer', () => {
    // sha256("t\0p\0c") starts 0x27ab1695…: computed with `printf 't\0p\0c' | sha256sum`.
    const draw = assignmentDraw('t', 'p', 'c');
    expect(draw).toBeGreaterThanOrEqual(0);
    expect(draw).toBeLessThan(1);
    expect(Math.floor(draw * 2 ** 32)).toBe(0x27ab1695);
  });

  it('treats a share of the customers within a binomial bound (4 sd) of the share', () => {
    const n = 20_000;
    for (const share of [0.8, 0.5, 0.1]) {
      let treated = 0;
      for (let i = 0; i < n; i++)
        if (assignArm('salesforce-00D1', 'p1', `003${i}`, share) === 'treatment') treated++;
      const sd = Math.sqrt(n * share * (1 - share));
      expect(Math.abs(treated - n * share)).toBeLessThan(4 * sd);
    }
  });

  it('draws independently per program: arms agree about as often as chance says', () => {
    const n = 10_000;
    let same = 0;
    for (let i = 0; i < n; i++)
      if (assignArm('t', 'a', `c${i}`, 0.5) === assignArm('t', 'b', `c${i}`, 0.5)) same++;
    expect(Math.abs(same - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));
  });

  it('refuses a share outside (0, 1)', () => {
    expect(() => assignArm('t', 'p', 'c', 1)).toThrow(/treatmentShare must be strictly between 0 and 1/);
  });
});
