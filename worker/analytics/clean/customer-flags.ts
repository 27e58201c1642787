/** Bits in the cleaner's per-customer flags. */
export const HAS_PURCHASE = 1;
export const HAS_CANCELLATION = 2;
