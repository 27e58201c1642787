import { BenchArgsError, parseBenchArgs } from '../../bench/args';
import { checkParameters } from '../../bench/truth';

describe('parseBenchArgs', () => {
  it('runs every stage at full size by default', () => {
    expect(parseBenchArgs([])).toEqual({
      only: ['fit', 'generate', 'score'],
      customers: 1_000_000,
      transactions: 10_000_000,
      seed: 42,
      help: false,
    });
  });

  it('reads --only lists, sizes written as 1e5 or 100_000, and --flag=value', () => {
    expect(
      parseBenchArgs(['--only', 'fit,score', '--customers', '1e5', '--transactions=250_000']),
    ).toMatchObject({
      only: ['fit', 'score'],
      customers: 100_000,
      transactions: 250_000,
    });
  });

  it.each([[['--only', 'fitt']], [['--customers', '-3']], [['--customers']], [['--fast']]])(
    'rejects %p with the usage',
    (argv) => {
      expect(() => parseBenchArgs(argv)).toThrow(BenchArgsError);
    },
  );
});

describe('checkParameters', () => {
  it('passes estimates within 3 standard errors and fails the others', () => {
    const checks = checkParameters('M', { a: 1, b: 2 }, { a: 1.29, b: 2.31 }, { a: 0.1, b: 0.1 });
    expect(checks.map((c) => [c.param, c.pass])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(checks[0].z).toBeCloseTo(2.9, 10);
  });

  it('fails a parameter whose standard error is unknown', () => {
    expect(checkParameters('M', { a: 1 }, { a: 1 }, { a: NaN })[0].pass).toBe(false);
  });
});
