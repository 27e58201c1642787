/**
 * The Metadata API deployer (connectors/salesforce/writeback/deploy-fields.ts) and the SFDX source an admin
 * deploys (cards/salesforce) create the same Contact fields and the same integration permission set: both
 * come from contract-fields.ts, and this keeps the hand-written XML equal to it (type, length, precision,
 * scale, label, description, help text, restricted, and the picklist values).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_FIELDS } from '../../../connectors/salesforce/writeback/contract-fields';
import {
  customFieldMetadata,
  INTEGRATION_PERMISSION_SET,
  INTEGRATION_PERMISSION_SET_DESCRIPTION,
  INTEGRATION_PERMISSION_SET_LABEL,
  SEGMENT_PLACEHOLDER,
} from '../../../connectors/salesforce/writeback/deploy-fields';

const SOURCE = path.resolve(__dirname, '../../../cards/salesforce/force-app/main/default');
const read = (file: string) => readFileSync(path.join(SOURCE, file), 'utf8');
const element = (xml: string, name: string) => {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return text === undefined ? undefined : decode(text);
};
const decode = (text: string) =>
  text
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const number = (xml: string, name: string) => {
  const text = element(xml, name);
  return text === undefined ? undefined : Number(text);
};

/** The SFDX file as the Metadata API CustomField it defines (fullName with its object, as deployed). */
function sfdxField(name: string) {
  const xml = read(`objects/Contact/fields/${name}.field-meta.xml`);
  const [own, valueSet] = xml.split('<valueSet>');
  return {
    fullName: `Contact.${element(own!, 'fullName')}`,
    description: element(own!, 'description'),
    inlineHelpText: element(own!, 'inlineHelpText'),
    label: element(own!, 'label'),
    type: element(own!, 'type'),
    length: number(own!, 'length'),
    precision: number(own!, 'precision'),
    scale: number(own!, 'scale'),
    restricted: valueSet === undefined ? undefined : element(valueSet, 'restricted') === 'true',
    values:
      valueSet === undefined
        ? undefined
        : [...valueSet.matchAll(/<value>([\s\S]*?)<\/value>/g)].map(([, v]) => ({
            fullName: element(v!, 'fullName'),
            label: element(v!, 'label'),
          })),
  };
}

describe('the deployer and the SFDX source of cards/salesforce define the same fields', () => {
  it.each(CONTRACT_FIELDS.map((f) => [f.field, f] as const))('%s', (name, field) => {
    const deployed = customFieldMetadata(field);
    const sfdx = sfdxField(name);
    const { values: sfdxValues, ...sfdxOwn } = sfdx;
    expect({
      fullName: deployed.fullName,
      description: deployed.description,
      inlineHelpText: deployed.inlineHelpText,
      label: deployed.label,
      type: deployed.type,
      length: deployed.length,
      precision: deployed.precision,
      scale: deployed.scale,
      restricted: deployed.valueSet?.restricted,
    }).toEqual(sfdxOwn);
    if (field.type !== 'Picklist') return;
    const values = deployed.valueSet!.valueSetDefinition.value.map((v) => ({
      fullName: v.fullName,
      label: v.label,
    }));
    // A new segment picklist with no run segments starts with the SFDX's placeholder value.
    const expected =
      field.name === 'clv_segment'
        ? [{ fullName: SEGMENT_PLACEHOLDER.value, label: SEGMENT_PLACEHOLDER.label }]
        : values;
    expect(sfdxValues).toEqual(expected);
  });

  it('grants read and edit on every field in CRM_CLV_Integration, labelled alike', () => {
    const xml = read(`permissionsets/${INTEGRATION_PERMISSION_SET}.permissionset-meta.xml`);
    const grants = [...xml.matchAll(/<fieldPermissions>([\s\S]*?)<\/fieldPermissions>/g)].map(([, p]) => ({
      editable: element(p!, 'editable') === 'true',
      field: element(p!, 'field'),
      readable: element(p!, 'readable') === 'true',
    }));
    expect(grants).toEqual(
      CONTRACT_FIELDS.map((f) => ({ editable: true, field: `Contact.${f.field}`, readable: true })),
    );
    const own = xml.replace(/<fieldPermissions>[\s\S]*<\/fieldPermissions>/, '');
    expect(element(own, 'label')).toBe(INTEGRATION_PERMISSION_SET_LABEL);
    expect(element(own, 'description')).toBe(INTEGRATION_PERMISSION_SET_DESCRIPTION);
  });
});
