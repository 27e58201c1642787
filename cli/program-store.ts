/**
 * The record store the program commands read and write: the shared store choice (./record-store-option.ts),
 * `--data-dir` or, with --redis, the worker's Redis store, so a program added there is enrolled by the
 * worker's next write-back.
 */
import type { Command } from 'commander';
import type { RecordStore } from '../worker/state';
import { withRecordStore, withRecordStoreOptions, type RecordStoreChoice } from './record-store-option';

export function withProgramStoreOptions(command: Command): Command {
  return withRecordStoreOptions(
    command.requiredOption('--tenant <id>', 'the tenant whose programs these are'),
  );
}

export function withProgramStore<T>(
  opts: RecordStoreChoice,
  use: (store: RecordStore) => Promise<T>,
): Promise<T> {
  return withRecordStore(opts, (store) => use(store));
}
