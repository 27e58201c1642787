export { InputFormatError } from './errors';
export { cleaningDefaultsFor, type FormatCleaningDefaults } from './format-defaults';
export { isGzipFile } from './open-text-chunks';
export { readSummaryCsv, type SummaryCsv } from './read-summary-csv';
export { readTransactionBatches, readTransactions } from './read-transactions';
export type { RawTransaction, ReadOptions, TransactionFormat } from './types';
