/**
 * HubSpot property names the connector reads. NOTES does not list the contact engagement or product category
 * properties; these are HubSpot's default internal names (hs_analytics_* and hs_email_* are the "Web
 * analytics history" and "Email information" groups) and are requested explicitly because list calls return
 * only a few properties unless asked (NOTES §4.1, "Default returned properties"). Where portals differ, a
 * list gives the names tried in order. The sandbox seeds the same names.
 */
export const CONTACT_PROPERTIES = {
  email: 'email',
  firstName: 'firstname',
  lastName: 'lastname',
  country: 'country',
  region: 'state',
  city: 'city',
  birthDate: 'date_of_birth',
  age: ['age', 'hs_age'],
  gender: ['gender', 'hs_gender'],
  lifecycleStage: 'lifecyclestage',
  ownerId: 'hubspot_owner_id',
  acquisitionChannel: 'hs_analytics_source',
  createdAt: 'createdate',
  updatedAt: 'lastmodifieddate',
  pageViews: 'hs_analytics_num_page_views',
  visits: 'hs_analytics_num_visits',
  emailOpens: 'hs_email_open',
  emailClicks: 'hs_email_click',
  socialClicks: 'hs_social_num_broadcast_clicks',
  lastEngaged: [
    'hs_last_sales_activity_timestamp',
    'hs_analytics_last_visit_timestamp',
    'hs_email_last_open_date',
    'hs_email_last_click_date',
  ],
} as const;

/** Deals use hs_lastmodifieddate, contacts lastmodifieddate (NOTES §4.1, search defaults). */
export const DEAL_PROPERTIES = {
  amount: 'amount',
  currency: 'deal_currency_code',
  closeDate: 'closedate',
  pipeline: 'pipeline',
  stage: 'dealstage',
  ownerId: 'hubspot_owner_id',
  channel: ['hs_analytics_source', 'dealtype'],
  updatedAt: 'hs_lastmodifieddate',
} as const;

export const LINE_ITEM_PROPERTIES = {
  productId: 'hs_product_id',
  quantity: 'quantity',
  unitPrice: 'price',
  name: 'name',
} as const;

/** HubSpot has no default product category; "category" then a "family" property. */
export const PRODUCT_PROPERTIES = {
  name: 'name',
  price: 'price',
  category: ['category', 'product_category', 'product_family', 'hs_product_type'],
} as const;

export const TICKET_PROPERTIES = {
  priority: 'hs_ticket_priority',
  pipeline: 'hs_pipeline',
  stage: 'hs_pipeline_stage',
  createdAt: 'createdate',
  closedAt: 'closed_date',
} as const;

function flatten(groups: readonly (string | readonly string[])[]): string[] {
  const names: string[] = [];
  for (const group of groups) {
    if (typeof group === 'string') names.push(group);
    else names.push(...group);
  }
  return names;
}

/** Property lists to pass as `properties` on list, batch-read and search calls. */
export const PROPERTIES_TO_READ = {
  contacts: flatten(Object.values(CONTACT_PROPERTIES)),
  deals: flatten(Object.values(DEAL_PROPERTIES)),
  line_items: flatten(Object.values(LINE_ITEM_PROPERTIES)),
  products: flatten(Object.values(PRODUCT_PROPERTIES)),
  tickets: flatten(Object.values(TICKET_PROPERTIES)),
} as const;
