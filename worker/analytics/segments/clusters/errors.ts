/** Errors of the behavioural clustering, each with a stable code and what to do about it. */

export type ClusterErrorCode =
  'INVALID_CLUSTER_INPUT' | 'INVALID_CLUSTER_OPTION' | 'TOO_FEW_CUSTOMERS' | 'INCOMPATIBLE_CLUSTER_MODEL';

export class ClusterError extends Error {
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}
