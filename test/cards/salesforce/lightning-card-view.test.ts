/**
 * The preview loads the Salesforce card's own view module from the SFDX source, whether it runs from the source
 * tree (tests) or from dist/ (`npm start`), and says where it looked when the module is not there.
 */
import { join } from 'node:path';
import { lightningCardLoad, viewModulePath } from '../../../cards/preview/lightning-card-view';
import { REPO_ROOT } from '../../helpers/run-cli';

const MODULE = join(REPO_ROOT, 'cards/salesforce/force-app/main/default/lwc/clvCardView/clvCardView.js');

describe('the Lightning card view module for the preview', () => {
  it('is found from the source tree and from the compiled dist/cards/preview', () => {
    expect(viewModulePath(join(REPO_ROOT, 'cards', 'preview'))).toBe(MODULE);
    expect(viewModulePath(join(REPO_ROOT, 'dist', 'cards', 'preview'))).toBe(MODULE);
  });

  it('names the file it could not find', () => {
    expect(() => viewModulePath('/')).toThrow(/clvCardView\.js is not beside \/ or above it/);
  });

  it("gives the component's states for the card API's answers", () => {
    const notFound = { error: 'CONTACT_NOT_FOUND', message: 'contact 003X is not in this org' };
    expect(lightningCardLoad({ statusCode: 404, body: JSON.stringify(notFound) }, 'en-US', 'UTC')).toEqual({
      state: 'empty',
      message: 'contact 003X is not in this org',
    });
    expect(
      lightningCardLoad({ statusCode: 503, body: '{"error":"REDIS_NOT_READY"}' }, 'en-US', 'UTC'),
    ).toEqual({
      state: 'error',
      message: 'The server answered with something that is not a contact card.',
    });
  });
});
