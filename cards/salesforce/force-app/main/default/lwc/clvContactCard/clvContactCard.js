/**
 * The crm-clv card on a Contact record page: loads the card through ClvCardController (the card API behind
 * the Named Credential CrmClv) and shows what clvCardView makes of it; accept, dismiss and mark-done go to
 * the actions endpoint. Loading, empty (never scored), fallback (too little history) and error states.
 */
import { LightningElement, api } from 'lwc';
import getCard from '@salesforce/apex/ClvCardController.getCard';
import recordAction from '@salesforce/apex/ClvCardController.recordAction';
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import { cardLoad, errorMessage, withActionProgress } from 'c/clvCardView';

export default class ClvContactCard extends LightningElement {
  @api recordId;

  load = { state: 'loading' };
  progress = {};
  actionError = null;

  connectedCallback() {
    this.refresh();
  }

  async refresh() {
    this.load = { state: 'loading' };
    this.actionError = null;
    try {
      const result = await getCard({ contactId: this.recordId });
      this.load = cardLoad(result, LOCALE, TIME_ZONE);
    } catch (error) {
      this.load = { state: 'error', message: errorMessage(error) };
    }
  }

  get isLoading() {
    return this.load.state === 'loading';
  }

  get isError() {
    return this.load.state === 'error';
  }

  get isEmpty() {
    return this.load.state === 'empty';
  }

  get message() {
    return this.load.message;
  }

  get view() {
    return this.load.state === 'loaded' ? withActionProgress(this.load.view, this.progress) : null;
  }

  handleRetry() {
    this.refresh();
  }

  async handleAction(event) {
    const { actionId, outcome } = event.currentTarget.dataset;
    const before = this.progress;
    this.actionError = null;
    this.progress = { ...before, [actionId]: { outcome, pending: true } };
    try {
      await recordAction({ contactId: this.recordId, actionId, outcome });
      this.progress = { ...this.progress, [actionId]: { outcome, pending: false } };
    } catch (error) {
      this.progress = before;
      this.actionError = errorMessage(error);
    }
  }
}
