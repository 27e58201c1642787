/** A stored value the store cannot use (not JSON, not a valid record, a run cut short): the message says what to do. */
export class StoreError extends Error {
  readonly code = 'STORE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
