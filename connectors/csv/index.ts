export { InputFormatError } from './errors';
export { cleaningDefaultsFor, type FormatCleaningDefaults } from './format-defaults';
export { isGzipFile } from './open-text-chunks';
export { readSummaryCsv, type SummaryCsv } from './read-summary-csv';
export { readTransactionBatches, readTransactions } from './read-transactions';
export type { RawTransaction, TransactionFormat } from '../../domain/raw-transaction';
export type { ReadOptions } from './read-options';
export { TEXT_ENCODINGS, type EncodingReport, type TextEncodingChoice } from './text-encoding';
