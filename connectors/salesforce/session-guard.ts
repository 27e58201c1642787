/**
 * jsforce refreshes the session on every 401 and replays the request, forever if the new token is refused too
 * (NOTES §1.2: 576 refreshes in 2 s). The guard allows one refresh, then refuses another until a call has
 * succeeded with the refreshed token: "refresh once, then fail clearly".
 */
export class SessionGuard {
  private refreshedSinceSuccess = false;
  /** Set when a second refresh in a row was refused; the caller turns the failure into a session error. */
  tripped = false;
  refreshes = 0;

  /** Throws when the last refresh has not been followed by a successful call. */
  beforeRefresh(): void {
    if (this.refreshedSinceSuccess) {
      this.tripped = true;
      throw new Error('Salesforce refused the refreshed session too');
    }
  }

  afterRefresh(): void {
    this.refreshedSinceSuccess = true;
    this.refreshes++;
  }

  /** A call succeeded: the session works, a later expiry may be refreshed again. */
  noteSuccess(): void {
    this.refreshedSinceSuccess = false;
    this.tripped = false;
  }
}
