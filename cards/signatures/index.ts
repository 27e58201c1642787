export { decodeSignedUri } from './uri-decoding';
export { equalInConstantTime } from './constant-time';
export { HubSpotSignatureError, SIGNATURE_REJECTIONS, type SignatureRejection } from './signature-error';
export { signatureV1, verifySignatureV1, type SignedRequestV1 } from './signature-v1';
export { MAX_TIMESTAMP_SKEW_MS, signatureV3, verifySignatureV3, type SignedRequestV3 } from './signature-v3';
export {
  bodyErrors,
  checkHubSpotRequest,
  isVerifiedHubSpotRequest,
  rawBody,
  verifiedPortalId,
  verifyHubSpotSignature,
  type HubSpotSignatureOptions,
  type ReceivedRequest,
  type Refusal,
  type SignatureVersion,
} from './verify-hubspot-request';
export {
  orgIdOfQuery,
  SALESFORCE_ORG_ID,
  SALESFORCE_SIGNATURE_HEADER,
  SALESFORCE_TIMESTAMP_HEADER,
  salesforceOrgKey,
  salesforceSignature,
  SalesforceSignatureError,
  salesforceStringToSign,
  verifySalesforceSignature,
  type SalesforceSignedRequest,
} from './salesforce-card-signature';
export {
  checkSalesforceRequest,
  verifiedOrgId,
  verifySalesforceRequest,
  type SalesforceSignatureOptions,
} from './verify-salesforce-request';
