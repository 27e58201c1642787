/**
 * The Lightning card's component test (@salesforce/sfdx-lwc-jest: LWC's compiler and engine on jsdom, stubs of
 * lightning-* and of @salesforce/apex imports). Not part of the root jest run; run from this folder with
 * sfdx-lwc-jest installed (README "Tests"): `npx sfdx-lwc-jest` or `npx jest -c jest.config.js`.
 */
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
};
