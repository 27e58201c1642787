/**
 * Customer buckets: a fixed split of a tenant's customers by a hash of the customer id, so a score run can read
 * one part of its customers' records (their orders, service cases and customer records) without reading the
 * rest. A record belongs to its customer's bucket: a customer by its own id, an order or a service case by its
 * `customerId`. A prepare shard of a score run reads a range of buckets (worker/jobs/score-prepare.ts).
 *
 * The hash is 32-bit FNV-1a over the id's UTF-8 bytes, xor-folded to the bucket's 10 bits (Fowler, Noll & Vo,
 * http://www.isthe.com/chongo/tech/comp/fnv/, "xor-folding"): stable across processes, versions and machines,
 * which a bucket stored in Redis must be, and spread evenly even over ids that differ in one character.
 */
import type { RecordType } from '../../domain/records';

/** Buckets per tenant: at most this many prepare shards (a 10-million-customer tenant: ~10,000 per bucket). */
export const CUSTOMER_BUCKETS = 1024; // a power of two: the fold masks the hash to its bits

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Record types that belong to one customer. */
export const CUSTOMER_RECORD_TYPES = ['customer', 'order', 'serviceCase'] as const;
export type CustomerRecordType = (typeof CUSTOMER_RECORD_TYPES)[number];

export const isCustomerRecordType = (type: RecordType): type is CustomerRecordType =>
  (CUSTOMER_RECORD_TYPES as readonly string[]).includes(type);

/** Buckets [from, to): what one prepare shard reads. */
export type BucketRange = { from: number; to: number };

/** 32-bit FNV-1a of the text's UTF-8 bytes, unsigned. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME);
  return h >>> 0;
}

export function customerBucket(customerId: string): number {
  const h = fnv1a32(customerId);
  return ((h >>> 10) ^ h) & (CUSTOMER_BUCKETS - 1);
}

/** The customer a record belongs to: a customer record is its own customer. */
export function customerOfRecord(
  type: CustomerRecordType,
  record: { id: string; customerId?: string },
): string {
  return type === 'customer' ? record.id : (record.customerId as string);
}

/** Shard `shard` of `shards` as an even share of the buckets (shards ≤ CUSTOMER_BUCKETS). */
export function bucketRange(shard: number, shards: number): BucketRange {
  if (!(Number.isSafeInteger(shards) && shards >= 1 && shards <= CUSTOMER_BUCKETS))
    throw new RangeError(`a tenant splits into 1 to ${CUSTOMER_BUCKETS} bucket ranges, not ${shards}`);
  if (!(Number.isSafeInteger(shard) && shard >= 0 && shard < shards))
    throw new RangeError(`bucket range ${shard} is not one of 0 to ${shards - 1}`);
  return {
    from: Math.floor((shard * CUSTOMER_BUCKETS) / shards),
    to: Math.floor(((shard + 1) * CUSTOMER_BUCKETS) / shards),
  };
}

export const inBuckets = (bucket: number, range: BucketRange) => bucket >= range.from && bucket < range.to;
