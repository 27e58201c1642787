/**
 * Demographic segments from CRM fields: age band (from birth date at the observation end), gender and
 * location (country, region). Every input is optional: CSV data usually has only a country.
 */
import { parseTimestamp } from '../clean/parse-timestamp';

export const AGE_BANDS = ['under 18', '18–24', '25–34', '35–44', '45–54', '55–64', '65+', 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

export type DemographicInput = {
  /** 'yyyy-mm-dd' (or any timestamp parseTimestamp reads), epoch ms, or null / '' when unknown. */
  birthDate?: readonly (string | number | null | undefined)[];
  /** Age in years where the CRM holds an age instead of a birth date; a birth date wins when both exist. */
  age?: readonly (number | null | undefined)[];
  gender?: readonly (string | null | undefined)[];
  country?: readonly (string | null | undefined)[];
  region?: readonly (string | null | undefined)[];
};

export type DemographicSegments = {
  ageBand: AgeBand[];
  gender: Gender[];
  /** Normalised country name, 'unknown' when none. */
  country: string[];
  /** Region as given (trimmed), '' when none. */
  region: string[];
  /** Customers per value, every band and gender listed (0 when none); countries and regions as seen. */
  counts: {
    ageBand: Record<AgeBand, number>;
    gender: Record<Gender, number>;
    country: Record<string, number>;
    region: Record<string, number>;
  };
};

export class DemographicInputError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'DemographicInputError';
  }
}

/**
 * Completed years between a birth date and a day (both epoch ms, UTC calendar days): the birthday must have
 * been reached, so 2000-03-01 → 2018-02-28 is 17. A 29 February birthday is reached on 1 March in common years.
 */
export function ageInYears(birthMs: number, atMs: number): number {
  const b = new Date(birthMs);
  const a = new Date(atMs);
  let years = a.getUTCFullYear() - b.getUTCFullYear();
  const monthDiff = a.getUTCMonth() - b.getUTCMonth();
  if (monthDiff < 0 || (monthDiff === 0 && a.getUTCDate() < b.getUTCDate())) years--;
  return years;
}

export function ageBandOf(age: number | null): AgeBand {
  if (age === null || !Number.isFinite(age) || age < 0 || age > 120) return 'unknown';
  if (age < 18) return 'under 18';
  if (age < 25) return '18–24';
  if (age < 35) return '25–34';
  if (age < 45) return '35–44';
  if (age < 55) return '45–54';
  if (age < 65) return '55–64';
  return '65+';
}

// Maps, not object lookups: a value such as "constructor" must not find Object.prototype's members.
const GENDER_SPELLINGS = new Map<string, Gender>(
  Object.entries({
    f: 'female',
    female: 'female',
    woman: 'female',
    women: 'female',
    w: 'female',
    girl: 'female',
    mrs: 'female',
    ms: 'female',
    miss: 'female',
    feminine: 'female',
    weiblich: 'female',
    femme: 'female',
    mujer: 'female',
    m: 'male',
    male: 'male',
    man: 'male',
    men: 'male',
    boy: 'male',
    mr: 'male',
    masculine: 'male',
    männlich: 'male',
    maennlich: 'male',
    homme: 'male',
    hombre: 'male',
    other: 'other',
    o: 'other',
    x: 'other',
    d: 'other',
    divers: 'other',
    diverse: 'other',
    'non-binary': 'other',
    'non binary': 'other',
    nonbinary: 'other',
    nb: 'other',
    enby: 'other',
    genderqueer: 'other',
    'gender fluid': 'other',
    genderfluid: 'other',
    agender: 'other',
    intersex: 'other',
    'third gender': 'other',
  } satisfies Record<string, Gender>),
);

/** Common spellings (English, a few European, titles, single letters) → female/male/other; the rest unknown. */
export function normalizeGender(text: string | null | undefined): Gender {
  if (!text) return 'unknown';
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[._]/g, '')
    .replace(/[-\s]+/g, (m) => (m.includes('-') ? '-' : ' '));
  return GENDER_SPELLINGS.get(key) ?? 'unknown';
}

/** Codes and variants → one English short name. Online Retail writes Ireland as 'EIRE' and Czechia as 'Czech Republic'. */
const COUNTRY_ALIASES = new Map<string, string>(
  Object.entries({
    eire: 'Ireland',
    ie: 'Ireland',
    'republic of ireland': 'Ireland',
    uk: 'United Kingdom',
    gb: 'United Kingdom',
    gbr: 'United Kingdom',
    'great britain': 'United Kingdom',
    britain: 'United Kingdom',
    england: 'United Kingdom',
    scotland: 'United Kingdom',
    wales: 'United Kingdom',
    'northern ireland': 'United Kingdom',
    'united kingdom of great britain and northern ireland': 'United Kingdom',
    us: 'United States',
    usa: 'United States',
    'u.s.': 'United States',
    'u.s.a.': 'United States',
    'united states of america': 'United States',
    america: 'United States',
    de: 'Germany',
    deu: 'Germany',
    deutschland: 'Germany',
    fr: 'France',
    fra: 'France',
    es: 'Spain',
    españa: 'Spain',
    espana: 'Spain',
    italia: 'Italy',
    nl: 'Netherlands',
    'the netherlands': 'Netherlands',
    holland: 'Netherlands',
    ch: 'Switzerland',
    pt: 'Portugal',
    se: 'Sweden',
    dk: 'Denmark',
    fi: 'Finland',
    pl: 'Poland',
    ca: 'Canada',
    au: 'Australia',
    jp: 'Japan',
    'czech republic': 'Czechia',
    cz: 'Czechia',
    rsa: 'South Africa',
    za: 'South Africa',
    unspecified: 'unknown',
    unknown: 'unknown',
    'n/a': 'unknown',
    none: 'unknown',
    '-': 'unknown',
  }),
);

/**
 * Country names normalised: known codes and variants (EIRE → Ireland, UK → United Kingdom) mapped; any other
 * name kept with its spelling, whitespace collapsed ('United Kingdom', 'European Community' stay).
 */
export function normalizeCountry(text: string | null | undefined): string {
  if (!text) return 'unknown';
  const name = text.trim().replace(/\s+/g, ' ');
  if (name.length === 0) return 'unknown';
  return COUNTRY_ALIASES.get(name.toLowerCase()) ?? name;
}

/** Per-customer demographic segments and their counts; `n` customers, each input array of length n when given. */
export function demographicSegments(
  n: number,
  input: DemographicInput,
  observationEnd: string | number,
): DemographicSegments {
  for (const [name, values] of Object.entries(input) as [string, readonly unknown[] | undefined][]) {
    if (values !== undefined && values.length !== n) {
      throw new DemographicInputError(
        `${name} has ${values.length} entries for ${n} customers; pass one per customer.`,
      );
    }
  }
  const endMs = typeof observationEnd === 'number' ? observationEnd : parseTimestamp(observationEnd);
  if (!Number.isFinite(endMs)) {
    throw new DemographicInputError(
      `observationEnd "${String(observationEnd)}" is not a date; use YYYY-MM-DD.`,
    );
  }
  const ageBand = new Array<AgeBand>(n);
  const gender = new Array<Gender>(n);
  const country = new Array<string>(n);
  const region = new Array<string>(n);
  const counts: DemographicSegments['counts'] = {
    ageBand: Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>,
    gender: Object.fromEntries(GENDERS.map((g) => [g, 0])) as Record<Gender, number>,
    country: {},
    region: {},
  };
  // Maps, not object keys, while counting: a country called "constructor" must not hit Object.prototype.
  const countryCounts = new Map<string, number>();
  const regionCounts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const birth = input.birthDate?.[i];
    let age: number | null = null;
    if (birth !== undefined && birth !== null && birth !== '') {
      const ms = typeof birth === 'number' ? birth : parseTimestamp(birth.trim());
      // A birth date after the observation end is a data error, not a negative age.
      if (Number.isFinite(ms) && ms <= endMs) age = ageInYears(ms, endMs);
    }
    const given = input.age?.[i];
    if (age === null && given !== undefined && given !== null) age = given;
    ageBand[i] = ageBandOf(age);
    gender[i] = normalizeGender(input.gender?.[i]);
    country[i] = normalizeCountry(input.country?.[i]);
    region[i] = input.region?.[i]?.trim().replace(/\s+/g, ' ') ?? '';
    counts.ageBand[ageBand[i]]++;
    counts.gender[gender[i]]++;
    countryCounts.set(country[i], (countryCounts.get(country[i]) ?? 0) + 1);
    if (region[i] !== '') regionCounts.set(region[i], (regionCounts.get(region[i]) ?? 0) + 1);
  }
  counts.country = Object.fromEntries(countryCounts);
  counts.region = Object.fromEntries(regionCounts);
  return { ageBand, gender, country, region, counts };
}
