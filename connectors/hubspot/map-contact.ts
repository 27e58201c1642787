import type { HubSpotObject } from './hubspot-object';
import { finishMapping, optionalValues, rejected, type MapOutcome } from './map-outcome';
import { CONTACT_PROPERTIES as P } from './read-properties';
import { firstText, readCount, readDate, readDateTime, text, toIsoDateTime } from './property-values';

export type ContactContext = { tenant: string };

/**
 * HubSpot contact → Customer. Required values (id, created and updated time) reject the contact when bad;
 * optional demographic or engagement values that cannot be read are dropped with a warning, because one odd
 * free-text field (date_of_birth is a string property in many portals) must not cost the customer's CLV.
 * Example: mapContact({ id: '101', properties: { createdate: '2024-05-01T10:00:00.000Z', … } }, { tenant: '1000' })
 */
export function mapContact(contact: HubSpotObject, context: ContactContext): MapOutcome<'customer'> {
  const props = contact.properties ?? {};
  const id = String(contact.id ?? '');
  if (id === '') return rejected('customer', '(no id)', 'id: is required but was not provided');
  const warnings: string[] = [];
  const optional = optionalValues(warnings);

  const createdAt = toIsoDateTime(contact.createdAt) ?? toIsoDateTime(text(props, P.createdAt));
  const updatedAt = toIsoDateTime(contact.updatedAt) ?? toIsoDateTime(text(props, P.updatedAt)) ?? createdAt;

  const age = firstText(props, P.age);
  let ageRead = age === undefined ? undefined : optional(readCount(props, age.name));
  if (age !== undefined && ageRead !== undefined && ageRead > 130) {
    warnings.push(`${age.name}: expected an age 0–130, got '${age.value}'; value dropped`);
    ageRead = undefined;
  }

  const counts = {
    pageViews: optional(readCount(props, P.pageViews)),
    visits: optional(readCount(props, P.visits)),
    emailOpens: optional(readCount(props, P.emailOpens)),
    emailClicks: optional(readCount(props, P.emailClicks)),
    socialClicks: optional(readCount(props, P.socialClicks)),
  };
  const lastEngagedAt = latest(P.lastEngaged.map((name) => optional(readDateTime(props, name))));
  const hasEngagement = Object.values(counts).some((v) => v !== undefined) || lastEngagedAt !== undefined;

  return finishMapping(
    'customer',
    {
      id,
      tenant: context.tenant,
      source: 'hubspot',
      externalId: id,
      // An unreadable createdate is passed through as-is so the schema's rejection shows the bad value.
      createdAt: createdAt ?? text(props, P.createdAt),
      updatedAt,
      email: text(props, P.email),
      firstName: text(props, P.firstName),
      lastName: text(props, P.lastName),
      country: text(props, P.country),
      region: text(props, P.region),
      city: text(props, P.city),
      birthDate: optional(readDate(props, P.birthDate)),
      age: ageRead,
      gender: firstText(props, P.gender)?.value,
      lifecycleStage: text(props, P.lifecycleStage),
      ownerId: text(props, P.ownerId),
      acquisitionChannel: text(props, P.acquisitionChannel),
      engagement: hasEngagement
        ? {
            pageViews: counts.pageViews ?? 0,
            visits: counts.visits ?? 0,
            emailOpens: counts.emailOpens ?? 0,
            emailClicks: counts.emailClicks ?? 0,
            socialClicks: counts.socialClicks ?? 0,
            ...(lastEngagedAt === undefined ? {} : { lastEngagedAt }),
          }
        : undefined,
    },
    warnings,
  );
}

function latest(values: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const value of values) if (value !== undefined && (best === undefined || value > best)) best = value;
  return best;
}
