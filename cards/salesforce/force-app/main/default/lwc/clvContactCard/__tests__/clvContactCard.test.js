/**
 * The card as a component (sfdx-lwc-jest): what it renders for each answer of ClvCardController, and the
 * rep's accept / dismiss / mark done going to recordAction. Run from cards/salesforce (README "Tests").
 */
import { createElement } from 'lwc';
import ClvContactCard from 'c/clvContactCard';
import getCard from '@salesforce/apex/ClvCardController.getCard';
import recordAction from '@salesforce/apex/ClvCardController.recordAction';

jest.mock('@salesforce/apex/ClvCardController.getCard', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/ClvCardController.recordAction', () => ({ default: jest.fn() }), {
  virtual: true,
});

const CARD = require('./data/scoredCard.json');
const CONTACT = '003000000000001AAA';

/** Lets the component's promises settle and LWC re-render. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount() {
  const element = createElement('c-clv-contact-card', { is: ClvContactCard });
  element.recordId = CONTACT;
  document.body.appendChild(element);
  await settle();
  return element;
}

const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (element) => element.shadowRoot.textContent;

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-clv-contact-card', () => {
  it('shows a spinner while the card loads', () => {
    getCard.mockReturnValue(new Promise(() => {}));
    const element = createElement('c-clv-contact-card', { is: ClvContactCard });
    element.recordId = CONTACT;
    document.body.appendChild(element);
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
  });

  it("renders the contact's card: badges, figures, drivers, recommendations, actions, playbook", async () => {
    getCard.mockResolvedValue({ statusCode: 200, body: JSON.stringify(CARD) });
    const element = await mount();
    expect(getCard).toHaveBeenCalledWith({ contactId: CONTACT });
    expect(all(element, 'lightning-badge').map((b) => b.label)).toEqual([
      'Loyal big spenders',
      'High churn risk',
      'RFM: Champions',
    ]);
    const page = text(element);
    for (const shown of [
      '$1,235',
      '$5,679',
      '23%',
      '87%',
      'Next order expected: Mar 5, 2027',
      '2 open support tickets',
    ])
      expect(page).toContain(shown);
    expect(page).toContain('Serving tray');
    expect(all(element, 'lightning-button').map((b) => b.label)).toEqual([
      'Accept',
      'Dismiss',
      'Accept',
      'Dismiss',
    ]);
    expect(page).toContain('Offer up to 10% off the next order (about $13).');
    expect(all(element, 'lightning-accordion-section').map((s) => s.label)).toEqual([
      'Goal',
      'What to avoid',
    ]);
  });

  it('sends an accepted action and then offers to mark it done', async () => {
    getCard.mockResolvedValue({ statusCode: 200, body: JSON.stringify(CARD) });
    recordAction.mockResolvedValue(true);
    const element = await mount();
    all(element, 'lightning-button')[0].click();
    await settle();
    expect(recordAction).toHaveBeenCalledWith({
      contactId: CONTACT,
      actionId: 'call-owner',
      outcome: 'accepted',
    });
    expect(all(element, 'lightning-badge').map((b) => b.label)).toContain('Accepted');
    expect(all(element, 'lightning-button').map((b) => b.label)).toEqual(['Mark done', 'Accept', 'Dismiss']);
  });

  it("shows the server's reason when the contact was never scored (404)", async () => {
    getCard.mockResolvedValue({
      statusCode: 404,
      body: JSON.stringify({
        error: 'CONTACT_NOT_FOUND',
        message: 'contact is not in this org’s synced data',
      }),
    });
    const element = await mount();
    expect(text(element)).toContain('No customer value for this contact yet');
    expect(text(element)).toContain('contact is not in this org’s synced data');
  });

  it('shows the error and loads again on Try again', async () => {
    getCard.mockRejectedValueOnce({ body: { message: 'the store is not reachable' } });
    const element = await mount();
    expect(text(element)).toContain('the store is not reachable');
    getCard.mockResolvedValue({ statusCode: 200, body: JSON.stringify(CARD) });
    element.shadowRoot.querySelector('lightning-button').click();
    await settle();
    expect(getCard).toHaveBeenCalledTimes(2);
    expect(all(element, 'lightning-badge')).toHaveLength(3);
  });
});
