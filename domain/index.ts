export * from './errors';
export * from './raw-transaction';
export * from './records';
export * from './rfm-segments';
export * from './score';
export * from './tenant';
export * from './property-contract';
export * from './purchase-history';
