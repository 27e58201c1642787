import { cronPatternProblem } from '../../worker/tenants';

describe('cronPatternProblem', () => {
  it.each([
    '0 2 * * *',
    '0 3 * * 0',
    '*/15 * * * *',
    '0 4 * * MON-FRI',
    '0 0 1,15 * ?',
    '30 6 * jan-mar sun',
    '0 0 * * 7',
    '0 0 2 * * *',
    ' 5 4 * * * ',
  ])('accepts %p', (pattern) => {
    expect(cronPatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['0 2 * *', /must have 5 fields.*not 4/],
    ['0 2 * * * * *', /not 7/],
    ['60 * * * *', /minute '60' is out of range \(0–59\)/],
    ['0 24 * * *', /hour '24' is out of range/],
    ['0 0 0 * *', /day of month '0' is out of range \(1–31\)/],
    ['0 0 * 13 *', /month '13' is out of range/],
    ['0 0 * * 8', /day of week '8'/],
    ['0 0 * FOO *', /month 'FOO'/],
    ['0 5-2 * * *', /runs backwards/],
    ['*/0 * * * *', /step '\/0'/],
    ['? * * * *', /only allowed in the day fields/],
    ['0 0 L * *', /day of month 'L'/],
    ['0 0 * * 1#2', /not a value, range, list or step/],
    ['', /must have 5 fields/],
  ])('refuses %p', (pattern, problem) => {
    expect(cronPatternProblem(pattern)).toMatch(problem);
  });
});
