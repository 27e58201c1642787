/**
 * Fixed reference data of the seeded portal: owners, deal and ticket pipelines (NOTES §4.3, §4.4), and the
 * name/place lists contacts are drawn from. Fixed rather than random so ids are stable across seeds.
 */

import type { Owner, Pipeline, PipelineStage } from './types';

const OWNER_NAMES: [string, string][] = [
  ['Ada', 'Moreau'],
  ['Bruno', 'Keller'],
  ['Chiara', 'Rossi'],
  ['Dmitri', 'Novak'],
  ['Elena', 'García'],
  ['Farid', 'Haddad'],
  ['Greta', 'Lind'],
  ['Hugo', 'Martin'],
];

export function seedOwners(at: string): Owner[] {
  return OWNER_NAMES.map(([firstName, lastName], i) => ({
    id: String(41629779 + i),
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase().replace(/í/g, 'i')}@sandbox.example.com`,
    type: 'PERSON',
    firstName,
    lastName,
    userId: 9586504 + i,
    userIdIncludingInactive: 9586504 + i,
    createdAt: at,
    updatedAt: at,
    archived: false,
    teams: [{ id: '368389', name: 'Sales Team', primary: true }],
  }));
}

function stage(
  id: string,
  label: string,
  displayOrder: number,
  metadata: Record<string, string>,
  at: string,
): PipelineStage {
  return {
    id,
    label,
    displayOrder,
    metadata,
    archived: false,
    createdAt: at,
    updatedAt: at,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

/** Standard portal defaults (NOTES §4.4 [U] for ids); won/lost are told by metadata.probability "1.0"/"0.0". */
export function seedDealPipelines(at: string): Pipeline[] {
  const open: [string, string, string][] = [
    ['appointmentscheduled', 'Appointment scheduled', '0.2'],
    ['qualifiedtobuy', 'Qualified to buy', '0.4'],
    ['presentationscheduled', 'Presentation scheduled', '0.6'],
    ['decisionmakerboughtin', 'Decision maker bought-in', '0.8'],
    ['contractsent', 'Contract sent', '0.9'],
  ];
  const stages = open.map(([id, label, probability], i) =>
    stage(id, label, i, { isClosed: 'false', probability }, at),
  );
  stages.push(stage('closedwon', 'Closed won', 5, { isClosed: 'true', probability: '1.0' }, at));
  stages.push(stage('closedlost', 'Closed lost', 6, { isClosed: 'true', probability: '0.0' }, at));
  // Retail portals add a stage for returned orders (HubSpot has no refund state of its own).
  stages.push(stage('refunded', 'Refunded', 7, { isClosed: 'true', probability: '0.0' }, at));
  return [
    {
      id: 'default',
      label: 'Sales Pipeline',
      displayOrder: 0,
      archived: false,
      createdAt: at,
      updatedAt: at,
      stages,
    },
  ];
}

export function seedTicketPipelines(at: string): Pipeline[] {
  const stages = [
    stage('1', 'New', 0, { ticketState: 'OPEN' }, at),
    stage('2', 'Waiting on contact', 1, { ticketState: 'OPEN' }, at),
    stage('3', 'Waiting on us', 2, { ticketState: 'OPEN' }, at),
    stage('4', 'Closed', 3, { ticketState: 'CLOSED' }, at),
  ];
  return [
    {
      id: '0',
      label: 'Support Pipeline',
      displayOrder: 0,
      archived: false,
      createdAt: at,
      updatedAt: at,
      stages,
    },
  ];
}

export const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Emma',
  'Felix',
  'Hannah',
  'Ivan',
  'Julia',
  'Karim',
  'Lena',
  'Marco',
  'Nora',
  'Omar',
  'Paula',
  'Quentin',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Will',
  'Yara',
  'Zoe',
];
export const LAST_NAMES = [
  'Andersen',
  'Bauer',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Gomez',
  'Hansen',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Nielsen',
  'Olsen',
  'Petit',
  'Quinn',
  'Richter',
  'Silva',
  'Thomas',
  'Urban',
  'Vogel',
  'Weber',
  'Young',
];

/** Country, city, deal currency. */
export const PLACES: [string, string, string][] = [
  ['Germany', 'Berlin', 'EUR'],
  ['Germany', 'Munich', 'EUR'],
  ['France', 'Paris', 'EUR'],
  ['France', 'Lyon', 'EUR'],
  ['Netherlands', 'Amsterdam', 'EUR'],
  ['Spain', 'Madrid', 'EUR'],
  ['Italy', 'Milan', 'EUR'],
  ['United Kingdom', 'London', 'GBP'],
  ['United Kingdom', 'Manchester', 'GBP'],
  ['United States', 'New York', 'USD'],
  ['United States', 'Austin', 'USD'],
  ['United States', 'Seattle', 'USD'],
];
