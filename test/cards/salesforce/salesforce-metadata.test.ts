/**
 * The SFDX metadata of the Salesforce card against what the rest of the project expects: the Contact fields
 * against DESIGN's property contract (names and types as in its table, picklist values as
 * domain/property-contract.ts writes them), the permission sets against the fields, and the Apex controller
 * against the Named/External Credential and the server's signature. The XML is read with a few regexes: each
 * file is small and flat, written by hand.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { salesforceOrgKey, salesforceSignature, salesforceStringToSign } from '../../../cards/signatures';
import { contractValues } from '../../../domain/property-contract';
import { optionValue, RFM_SEGMENTS } from '../../../domain/rfm-segments';
import { CHURN_RISKS, RETENTION_GROUPS } from '../../../domain/score';
import { buildScore } from '../../playbooks/builders';

const SOURCE = path.resolve(__dirname, '../../../cards/salesforce/force-app/main/default');
const read = (file: string) => readFileSync(path.join(SOURCE, file), 'utf8');

/** DESIGN.md "Property contract": HubSpot property → Salesforce field and type. */
const CONTRACT: Record<string, [field: string, type: string, size?: Record<string, number>]> = {
  clv_segment: ['CLV_Segment__c', 'Picklist'],
  clv_rfm_segment: ['CLV_RFM_Segment__c', 'Picklist'],
  clv_rfm_score: ['CLV_RFM_Score__c', 'Text', { length: 3 }],
  clv_predicted_12m: ['CLV_Predicted_12M__c', 'Currency'],
  clv_historic: ['CLV_Historic__c', 'Currency'],
  // Salesforce's Number(8,2): 8 digits before the point and 2 after, so precision 10 in the metadata.
  clv_expected_orders_12m: ['CLV_Expected_Orders_12M__c', 'Number', { precision: 10, scale: 2 }],
  clv_p_alive: ['CLV_P_Alive__c', 'Percent'],
  clv_churn_probability: ['CLV_Churn_Probability__c', 'Percent'],
  clv_churn_risk: ['CLV_Churn_Risk__c', 'Picklist'],
  clv_next_order_date: ['CLV_Next_Order_Date__c', 'Date'],
  clv_next_best_action: ['CLV_Next_Best_Action__c', 'Text', { length: 255 }],
  clv_recommended_products: ['CLV_Recommended_Products__c', 'Text', { length: 255 }],
  clv_interest: ['CLV_Interest__c', 'Picklist'],
  clv_top_churn_driver: ['CLV_Top_Churn_Driver__c', 'Text', { length: 255 }],
  clv_retention_group: ['CLV_Retention_Group__c', 'Picklist'],
  clv_scored_at: ['CLV_Scored_At__c', 'DateTime'],
  clv_model_version: ['CLV_Model_Version__c', 'Text', { length: 40 }],
};

type Field = {
  fullName: string;
  type: string;
  numbers: Record<string, number>;
  restricted?: boolean;
  values: { fullName: string; label: string }[];
};

const element = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

function parseField(xml: string): Field {
  // Picklist values have their own <fullName>: read the field's own elements outside <valueSet>.
  const [own, valueSet = ''] = xml.split('<valueSet>');
  const numbers: Record<string, number> = {};
  for (const name of ['length', 'precision', 'scale']) {
    const value = element(own, name);
    if (value !== undefined) numbers[name] = Number(value);
  }
  return {
    fullName: element(own, 'fullName')!,
    type: element(own, 'type')!,
    numbers,
    restricted: valueSet === '' ? undefined : element(valueSet, 'restricted') === 'true',
    values: [...valueSet.matchAll(/<value>([\s\S]*?)<\/value>/g)].map(([, v]) => ({
      fullName: decode(element(v, 'fullName')!),
      label: decode(element(v, 'label')!),
    })),
  };
}

const decode = (text: string) =>
  text
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const fieldFiles = readdirSync(path.join(SOURCE, 'objects/Contact/fields')).sort();
const fields = new Map(
  fieldFiles.map((file) => {
    const field = parseField(read(`objects/Contact/fields/${file}`));
    return [field.fullName, field] as const;
  }),
);

describe('the Contact fields of the Salesforce card', () => {
  it('are one per contract property, named as DESIGN says, one file each', () => {
    const written = Object.keys(
      contractValues(buildScore({ retentionGroup: 'treatment', interest: 'Home' })),
    );
    expect(Object.keys(CONTRACT).sort()).toEqual(written.sort());
    const names = Object.values(CONTRACT).map(([field]) => field);
    expect([...fields.keys()].sort()).toEqual([...names].sort());
    expect(fieldFiles).toEqual(names.map((n) => `${n}.field-meta.xml`).sort());
  });

  it.each(Object.entries(CONTRACT))('%s is %j', (_property, [name, type, size]) => {
    const field = fields.get(name)!;
    expect(field.type).toBe(type);
    if (size) expect(field.numbers).toEqual(size);
    if (type === 'Currency') expect(field.numbers).toEqual({ precision: 18, scale: 2 });
    // Percent holds 0–100 (DESIGN: the contract's 0–1 times 100), two decimals.
    if (type === 'Percent') expect(field.numbers).toEqual({ precision: 5, scale: 2 });
    if (type === 'Picklist') expect(field.values.length).toBeGreaterThan(0);
    else expect(field.values).toEqual([]);
  });

  it('offer the values write-back writes: option values as API names, names as labels', () => {
    const rfm = fields.get('CLV_RFM_Segment__c')!;
    expect(rfm.values).toEqual(RFM_SEGMENTS.map((name) => ({ fullName: optionValue(name), label: name })));
    expect(fields.get('CLV_Churn_Risk__c')!.values.map((v) => v.fullName)).toEqual([...CHURN_RISKS]);
    expect(fields.get('CLV_Retention_Group__c')!.values.map((v) => v.fullName)).toEqual([
      ...RETENTION_GROUPS,
    ]);
    for (const name of ['CLV_RFM_Segment__c', 'CLV_Churn_Risk__c', 'CLV_Retention_Group__c'])
      expect(fields.get(name)!.restricted).toBe(true);
    const values = contractValues(buildScore({ retentionGroup: 'control' }));
    expect(rfm.values.map((v) => v.fullName)).toContain(values.clv_rfm_segment);
    expect(fields.get('CLV_Retention_Group__c')!.values.map((v) => v.fullName)).toContain(
      values.clv_retention_group,
    );
  });

  it('leave segment and interest open: their options come from each run', () => {
    expect(fields.get('CLV_Segment__c')!.restricted).toBe(false);
    expect(fields.get('CLV_Interest__c')!.restricted).toBe(false);
    expect(fields.get('CLV_Interest__c')!.values.map((v) => v.fullName)).toEqual(
      ['Varied', 'Unknown'].map(optionValue),
    );
  });
});

describe('the permission sets', () => {
  const permissions = (file: string) =>
    [...read(`permissionsets/${file}`).matchAll(/<fieldPermissions>([\s\S]*?)<\/fieldPermissions>/g)].map(
      ([, p]) => ({
        field: element(p, 'field'),
        readable: element(p, 'readable'),
        editable: element(p, 'editable'),
      }),
    );
  const everyField = [...fields.keys()].map((name) => `Contact.${name}`).sort();

  it('CRM_CLV_Fields reads every field, CRM_CLV_Integration reads and edits them', () => {
    const reader = permissions('CRM_CLV_Fields.permissionset-meta.xml');
    expect(reader.map((p) => p.field).sort()).toEqual(everyField);
    expect(reader.every((p) => p.readable === 'true' && p.editable === 'false')).toBe(true);
    const writer = permissions('CRM_CLV_Integration.permissionset-meta.xml');
    expect(writer.map((p) => p.field).sort()).toEqual(everyField);
    expect(writer.every((p) => p.readable === 'true' && p.editable === 'true')).toBe(true);
  });

  it('CRM_CLV_Card runs the controller with the external credential’s principal', () => {
    const card = read('permissionsets/CRM_CLV_Card.permissionset-meta.xml');
    expect(element(card, 'apexClass')).toBe('ClvCardController');
    const external = read('externalCredentials/CrmClv.externalCredential-meta.xml');
    const principal = /<parameterName>(\w+)<\/parameterName>\s*<parameterType>NamedPrincipal</.exec(
      external,
    )?.[1];
    expect(element(card, 'externalCredentialPrincipal')).toBe(`CrmClv-${principal}`);
  });
});

describe('the Apex controller, the credentials and the server agree', () => {
  const apex = read('classes/ClvCardController.cls');
  const apexTest = read('classes/ClvCardControllerTest.cls');
  const named = read('namedCredentials/CrmClv.namedCredential-meta.xml');

  it('calls callout:CrmClv, whose named credential allows the signature formula in headers', () => {
    expect(apex).toContain("'callout:CrmClv'");
    expect(apex).toContain('$Credential.CrmClv.secret');
    expect(element(named, 'externalCredential')).toBe('CrmClv');
    expect(element(named, 'allowMergeFieldsInHeader')).toBe('true');
    expect(element(named, 'generateAuthorizationHeader')).toBe('false');
    expect(apex).toContain("'/api/v1/cards/salesforce/contact'");
    expect(apex).toContain("'/api/v1/cards/salesforce/contact/actions'");
  });

  it('signs the text the server verifies (the Apex test’s vector)', () => {
    const vector = /'(v1\|GET\|[^']+)'/.exec(apexTest)![1];
    const [, method, pathAndQuery, timestamp] = vector.split('|');
    expect(salesforceStringToSign({ method, path: pathAndQuery, timestamp, body: '' })).toBe(vector);
  });

  it('derives the org key as the README’s openssl line does, and signs as openssl does', () => {
    let openssl: string;
    try {
      openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', 'a-deployment-secret'], {
        input: 'salesforce-card:00D000000000001AAA',
      }).toString();
    } catch {
      return; // no openssl here: the HMAC is Node's own, checked by the API tests
    }
    const orgKey = salesforceOrgKey('a-deployment-secret', '00D000000000001AAA');
    expect(openssl.trim().split(/\s+/).pop()).toBe(orgKey);
    // And the signature: HMAC-SHA256 keyed by the key's text (BLOB($Credential.CrmClv.secret)), base64.
    const request = {
      method: 'GET',
      path: '/api/v1/cards/salesforce/contact?orgId=x',
      timestamp: '1',
      body: '',
    };
    const mac = execFileSync('openssl', ['dgst', '-sha256', '-hmac', orgKey, '-binary'], {
      input: salesforceStringToSign(request),
    });
    expect(salesforceSignature(orgKey, request)).toBe(mac.toString('base64'));
  });
});
