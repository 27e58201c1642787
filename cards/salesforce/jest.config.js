/**
 * The Lightning card's component test (@salesforce/sfdx-lwc-jest: LWC's compiler and engine on jsdom, stubs of
 * lightning-* and of @salesforce/apex imports). It has its own jest (29) apart from the root's, so it runs
 * as `npm run test:lwc` after the root jest run (`npm test` runs both).
 */
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
};
