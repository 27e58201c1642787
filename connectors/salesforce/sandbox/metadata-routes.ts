/**
 * The Metadata API's SOAP endpoint `POST /services/Soap/m/{version}` (NOTES §2.7, §7.8): `upsertMetadata`,
 * `createMetadata` and `readMetadata` for CustomField, PermissionSet and ListView (list-view-model.ts). The session id travels in
 * `<SessionHeader><sessionId>` (jsforce sends no Authorization header); an unknown or expired one is HTTP 500
 * with `<faultcode>sf:INVALID_SESSION_ID</faultcode>`, which makes jsforce refresh and replay. More than 10
 * components in one call is the SOAP fault `sf:EXCEEDED_ID_LIMIT` ("record limit reached. cannot submit more
 * than 10 records in this operation", [I certinia/apex-mdapi#105]). Per-component outcomes are `<result>`s in
 * request order: UpsertResult `created, errors, fullName, success`, SaveResult `errors, fullName, success`.
 * A read of a missing component is an empty `<records xsi:type="CustomField"/>` (NOTES §2.7). SOAP calls count
 * against the daily API allocation. Responses are `text/xml;charset=UTF-8` (NOTES §7.9).
 */

import express, { Router, type Request, type Response } from 'express';
import {
  customFieldXml,
  metadataType,
  permissionSetXml,
  type MetadataModel,
  type SaveOutcome,
} from './metadata-model';
import { listViewXml, type ListViewModel } from './list-view-model';
import type { ApiUsage } from './request-guards';
import {
  child,
  childrenNamed,
  childText,
  escapeXml,
  parseXml,
  toXml,
  XmlSyntaxError,
  type XmlElement,
} from './soap-xml';

const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';
const COMPONENT_LIMIT = 10;
const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ` xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`;
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

class SoapFault extends Error {
  constructor(
    readonly faultcode: string,
    message: string,
  ) {
    super(message);
  }
}

const sfFault = (code: string, message: string) => new SoapFault(`sf:${code}`, `${code}: ${message}`);

function sendFault(res: Response, fault: SoapFault): void {
  const code = fault.faultcode.slice(fault.faultcode.indexOf(':') + 1);
  const detail = fault.faultcode.startsWith('sf:')
    ? `<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${escapeXml(code)}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${escapeXml(fault.message.replace(/^[A-Z_]+: /, ''))}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>`
    : '';
  res
    .status(500)
    .type('text/xml;charset=UTF-8')
    .send(
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
        ` xmlns:sf="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>` +
        `<faultcode>${escapeXml(fault.faultcode)}</faultcode><faultstring>${escapeXml(fault.message)}</faultstring>` +
        `${detail}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
    );
}

function saveResultXml(outcome: SaveOutcome, withCreated: boolean): string {
  return toXml('result', {
    created: withCreated ? outcome.created : undefined,
    errors: outcome.errors.map((e) => ({ message: e.message, statusCode: e.statusCode })),
    fullName: outcome.fullName,
    success: outcome.errors.length === 0,
  });
}

export type MetadataRouteOptions = {
  model: MetadataModel;
  listViews: ListViewModel;
  isValidSession: (token: string) => boolean;
  usage: ApiUsage;
  maxBodyBytes: number;
};

export function metadataRoutes(options: MetadataRouteOptions): Router {
  const { model, listViews, usage } = options;
  const router = Router();

  const save = (body: XmlElement, mode: 'create' | 'upsert'): string => {
    const components = childrenNamed(body, 'metadata');
    if (components.length > COMPONENT_LIMIT)
      throw sfFault(
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${COMPONENT_LIMIT} records in this operation`,
      );
    const results = components.map((component): SaveOutcome => {
      const type = metadataType(component);
      if (type === 'CustomField') return model.saveCustomField(component, mode);
      if (type === 'PermissionSet') return model.savePermissionSet(component, mode);
      if (type === 'ListView') return listViews.save(component, mode);
      return {
        fullName: childText(component, 'fullName') ?? '',
        created: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: `The sandbox's Metadata API serves CustomField, PermissionSet and ListView, not ${type ?? '(no xsi:type)'}.`,
          },
        ],
      };
    });
    const method = mode === 'upsert' ? 'upsertMetadata' : 'createMetadata';
    return `<${method}Response>${results.map((r) => saveResultXml(r, mode === 'upsert')).join('')}</${method}Response>`;
  };

  const read = (body: XmlElement): string => {
    const type = childText(body, 'type') ?? '';
    const fullNames = childrenNamed(body, 'fullNames').map((e) => e.text.trim());
    if (fullNames.length > COMPONENT_LIMIT)
      throw sfFault(
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${COMPONENT_LIMIT} records in this operation`,
      );
    if (type !== 'CustomField' && type !== 'PermissionSet' && type !== 'ListView')
      throw sfFault(
        'INVALID_TYPE',
        `The sandbox's Metadata API reads CustomField, PermissionSet and ListView, not ${type}`,
      );
    const records = fullNames.map((name) => {
      const attrs = ` xsi:type="${type}"`;
      if (type === 'CustomField') {
        const meta = model.customField(name);
        return meta ? toXml('records', customFieldXml(meta), attrs) : `<records${attrs}/>`;
      }
      if (type === 'ListView') {
        const view = listViews.get(name);
        return view ? toXml('records', listViewXml(view), attrs) : `<records${attrs}/>`;
      }
      const meta = model.permissionSet(name);
      return meta ? toXml('records', permissionSetXml(meta), attrs) : `<records${attrs}/>`;
    });
    return `<readMetadataResponse><result>${records.join('')}</result></readMetadataResponse>`;
  };

  const handle = (req: Request, res: Response): void => {
    try {
      let envelope: XmlElement;
      try {
        envelope = parseXml(typeof req.body === 'string' ? req.body : '');
      } catch (error) {
        if (!(error instanceof XmlSyntaxError)) throw error;
        throw new SoapFault('soapenv:Client', `Unable to parse the request: ${error.message}`);
      }
      if (envelope.local !== 'Envelope') throw new SoapFault('soapenv:Client', 'Expected a SOAP Envelope');
      const sessionId = childText(child(child(envelope, 'Header'), 'SessionHeader'), 'sessionId') ?? '';
      if (!options.isValidSession(sessionId))
        throw sfFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
      if (usage.used >= usage.max) throw sfFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      usage.used++;
      const call = child(envelope, 'Body')?.children[0];
      let answer: string;
      switch (call?.local) {
        case 'upsertMetadata':
          answer = save(call, 'upsert');
          break;
        case 'createMetadata':
          answer = save(call, 'create');
          break;
        case 'readMetadata':
          answer = read(call);
          break;
        default:
          throw new SoapFault(
            'soapenv:Client',
            `No operation available for request {${METADATA_NS}}${call?.local ?? ''}`,
          );
      }
      res
        .status(200)
        .type('text/xml;charset=UTF-8')
        .send(ENVELOPE_OPEN + answer + ENVELOPE_CLOSE);
    } catch (error) {
      sendFault(
        res,
        error instanceof SoapFault
          ? error
          : sfFault('UNKNOWN_EXCEPTION', error instanceof Error ? error.message : String(error)),
      );
    }
  };

  router.post(
    '/services/Soap/m/:version(\\d+\\.\\d)',
    express.text({ type: () => true, limit: options.maxBodyBytes }),
    handle,
  );
  return router;
}
