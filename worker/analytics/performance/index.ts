export * from './win-rate-interval';
export * from './win-rate-shrinkage';
export * from './money';
export * from './median';
export * from './first-purchases';
export * from './rep-performance';
export * from './channel-performance';
export * from './segment-product-shares';
