import {
  DemographicInputError,
  ageBandOf,
  ageInYears,
  demographicSegments,
  normalizeCountry,
  normalizeGender,
} from '../../../worker/analytics/segments/demographics';

describe('ageInYears', () => {
  it('counts completed years: the birthday must have been reached', () => {
    expect(ageInYears(Date.UTC(2000, 2, 1), Date.UTC(2018, 1, 28))).toBe(17);
    expect(ageInYears(Date.UTC(2000, 2, 1), Date.UTC(2018, 2, 1))).toBe(18);
    expect(ageInYears(Date.UTC(1990, 11, 31), Date.UTC(2011, 11, 9))).toBe(20);
  });

  it('reaches a 29 February birthday on 1 March in a common year', () => {
    expect(ageInYears(Date.UTC(2004, 1, 29), Date.UTC(2022, 1, 28))).toBe(17);
    expect(ageInYears(Date.UTC(2004, 1, 29), Date.UTC(2022, 2, 1))).toBe(18);
  });
});

describe('ageBandOf', () => {
  it.each([
    [0, 'under 18'],
    [17, 'under 18'],
    [18, '18–24'],
    [24, '18–24'],
    [25, '25–34'],
    [34, '25–34'],
    [35, '35–44'],
    [44, '35–44'],
    [45, '45–54'],
    [54, '45–54'],
    [55, '55–64'],
    [64, '55–64'],
    [65, '65+'],
    [101, '65+'],
    [null, 'unknown'],
    [-1, 'unknown'],
    [150, 'unknown'],
  ])('age %p → %p', (age, band) => {
    expect(ageBandOf(age)).toBe(band);
  });
});

describe('normalizeGender', () => {
  it.each([
    ['F', 'female'],
    [' Female ', 'female'],
    ['woman', 'female'],
    ['Mrs.', 'female'],
    ['M', 'male'],
    ['MALE', 'male'],
    ['Mr', 'male'],
    ['non-binary', 'other'],
    ['Non Binary', 'other'],
    ['X', 'other'],
    ['divers', 'other'],
    ['', 'unknown'],
    [null, 'unknown'],
    ['prefer not to say', 'unknown'],
    ['U', 'unknown'],
  ])('%p → %p', (text, gender) => {
    expect(normalizeGender(text)).toBe(gender);
  });
});

describe('normalizeCountry', () => {
  it('maps codes and Online Retail’s variants, keeps other names', () => {
    expect(normalizeCountry('EIRE')).toBe('Ireland');
    expect(normalizeCountry('United Kingdom')).toBe('United Kingdom');
    expect(normalizeCountry(' UK ')).toBe('United Kingdom');
    expect(normalizeCountry('USA')).toBe('United States');
    expect(normalizeCountry('Czech Republic')).toBe('Czechia');
    expect(normalizeCountry('RSA')).toBe('South Africa');
    expect(normalizeCountry('European  Community')).toBe('European Community');
    expect(normalizeCountry('Channel Islands')).toBe('Channel Islands');
    expect(normalizeCountry('Unspecified')).toBe('unknown');
    expect(normalizeCountry('')).toBe('unknown');
    expect(normalizeCountry(undefined)).toBe('unknown');
  });
});

describe('demographicSegments', () => {
  it('segments customers by age band at the observation end, gender and location, with counts', () => {
    const d = demographicSegments(
      5,
      {
        birthDate: ['1994-12-10', '1994-12-09', null, '2030-01-01', '1950-06-15'],
        gender: ['f', 'Male', undefined, 'x', 'W'],
        country: ['EIRE', 'Ireland', 'United Kingdom', '', 'constructor'],
        region: ['Leinster', ' Leinster ', 'Wales', null, ''],
      },
      '2011-12-09',
    );
    // 1994-12-10 is one day short of 17 on 2011-12-09; 1994-12-09 turns 17 that day; 1950-06-15 → 61.
    // A birth date after the observation end is unknown, not a negative age.
    expect(d.ageBand).toEqual(['under 18', 'under 18', 'unknown', 'unknown', '55–64']);
    expect(d.gender).toEqual(['female', 'male', 'unknown', 'other', 'female']);
    expect(d.country).toEqual(['Ireland', 'Ireland', 'United Kingdom', 'unknown', 'constructor']);
    expect(d.region).toEqual(['Leinster', 'Leinster', 'Wales', '', '']);
    expect(d.counts.ageBand).toEqual({
      'under 18': 2,
      '18–24': 0,
      '25–34': 0,
      '35–44': 0,
      '45–54': 0,
      '55–64': 1,
      '65+': 0,
      unknown: 2,
    });
    expect(d.counts.gender).toEqual({ female: 2, male: 1, other: 1, unknown: 1 });
    expect(d.counts.country).toEqual({ Ireland: 2, 'United Kingdom': 1, unknown: 1, constructor: 1 });
    expect(d.counts.region).toEqual({ Leinster: 2, Wales: 1 });
  });

  it('works with only a country (CSV data), everything else unknown', () => {
    const d = demographicSegments(2, { country: ['France', 'EIRE'] }, '2011-12-09');
    expect(d.ageBand).toEqual(['unknown', 'unknown']);
    expect(d.gender).toEqual(['unknown', 'unknown']);
    expect(d.counts.country).toEqual({ France: 1, Ireland: 1 });
  });

  it('refuses arrays of the wrong length and a bad observation end', () => {
    expect(() => demographicSegments(3, { country: ['a'] }, '2011-12-09')).toThrow(DemographicInputError);
    expect(() => demographicSegments(1, {}, 'yesterday')).toThrow(/YYYY-MM-DD/);
  });
});

describe('demographicSegments with CRM ages', () => {
  it('bands an age where there is no birth date; a birth date wins when both exist', () => {
    const d = demographicSegments(
      3,
      { birthDate: ['1990-06-15', null, '2001-01-01'], age: [70, 30, 17] },
      '2026-10-31',
    );
    // 1990-06-15 → 36 at 2026-10-31; no birth date → the CRM's 30; 2001-01-01 → 25 (not the stale 17).
    expect(d.ageBand).toEqual(['35–44', '25–34', '25–34']);
  });
});
