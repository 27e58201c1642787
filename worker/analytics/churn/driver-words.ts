/**
 * Small text helpers for the churn driver texts: counts with thousands separators, ratios, plurals, the
 * comparison with peers ("more than 90% of customers") and readable channel names. Thousands separators are
 * inserted by hand: Intl formatting is slow for millions of texts.
 */

const { round, ceil } = Math;

export const count = (k: number): string => {
  const text = String(round(k));
  return k > -1000 && k < 1000 ? text : text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
};
export const money = count;
export const times = (r: number): string => (r >= 10 ? String(round(r)) : String(round(r * 10) / 10));
export const plural = (k: number, one: string, many: string): string =>
  `${count(k)} ${round(k) === 1 ? one : many}`;
export const days = (k: number): string => plural(k, 'day', 'days');

/**
 * "more than 90% of customers" from the share of peers strictly on the other side of the customer's value.
 * The percentage is the largest multiple of 5 strictly below the share, so the sentence is true as written;
 * shares of one half or less are not worth a comparison (empty string).
 */
export function peerPhrase(comparative: string, share: number): string {
  if (!(share > 0.5)) return '';
  const percent = (ceil(share * 20) - 1) * 5;
  return percent >= 50 ? `${comparative} ${percent}% of customers` : '';
}

/**
 * How the common CRM and shop channel values read after "buys mainly …". Keys are lower case with spaces,
 * hyphens and underscores folded to "_": HubSpot's hs_analytics_source values (OFFLINE, ORGANIC_SEARCH, …)
 * and deal types, Salesforce lead sources (Web, Phone Inquiry, Partner Referral, …), and the usual shop
 * channel names (web, store, phone, marketplace, …).
 */
const CHANNEL_WORDS: Readonly<Record<string, string>> = {
  offline: 'offline',
  online: 'online',
  web: 'via the web shop',
  website: 'via the web shop',
  webshop: 'via the web shop',
  web_shop: 'via the web shop',
  online_shop: 'via the web shop',
  ecommerce: 'via the web shop',
  e_commerce: 'via the web shop',
  shop: 'in store',
  store: 'in store',
  in_store: 'in store',
  retail: 'in store',
  pos: 'in store',
  phone: 'by phone',
  telephone: 'by phone',
  phone_inquiry: 'by phone',
  call_center: 'by phone',
  call_centre: 'by phone',
  marketplace: 'via a marketplace',
  app: 'in the app',
  mobile_app: 'in the app',
  mobile: 'on mobile',
  email: 'through email',
  email_marketing: 'through email marketing',
  organic_search: 'after an organic search',
  paid_search: 'after a paid search ad',
  social_media: 'through social media',
  paid_social: 'through paid social ads',
  referral: 'through referrals',
  referrals: 'through referrals',
  partner_referral: 'through a partner referral',
  employee_referral: 'through an employee referral',
  external_referral: 'through an external referral',
  direct_traffic: 'by coming straight to the website',
  direct: 'directly',
  other_campaigns: 'through other campaigns',
  purchased_list: 'from a purchased list',
  trade_show: 'at trade shows',
  sales: 'through a sales rep',
  field_sales: 'through a sales rep',
  wholesale: 'wholesale',
  newbusiness: 'as new business',
  new_business: 'as new business',
  existingbusiness: 'as existing business',
  existing_business: 'as existing business',
};

/** "Web Shop" from "WEB_SHOP" or "web-shop". */
function titleCase(text: string): string {
  return text
    .split(/[\s_-]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join(' ');
}

/** "offline", "via the web shop", or "via Pop Up Stall" for a value the table does not know. */
export function channelWords(channel: string): string {
  const key = channel
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
  const known = CHANNEL_WORDS[key];
  if (known) return known;
  const title = titleCase(channel);
  return title ? `via ${title}` : 'via an unnamed channel';
}
