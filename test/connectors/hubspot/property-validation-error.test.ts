import { rejectedPropertyValues } from '../../../connectors/hubspot/property-validation-error';

describe('rejectedPropertyValues (HubSpot 400 "Property values were not valid", NOTES §4.7)', () => {
  it('reads property, code and the refused value of an INVALID_OPTION entry', () => {
    // Shape of a real HubSpot v3 answer (quoted in gregorspan/csc-frodx#21), shortened.
    const message =
      'Property values were not valid: [{"isValid":false,"message":"reports was not one of the allowed options: [PRODUCT_ISSUE, BILLING_ISSUE]","error":"INVALID_OPTION","name":"hs_ticket_category","localizedErrorMessage":"reports was not one of the allowed options: [PRODUCT_ISSUE, BILLING_ISSUE]","portalId":123}]';
    expect(rejectedPropertyValues(message)).toEqual([
      {
        property: 'hs_ticket_category',
        code: 'INVALID_OPTION',
        message: 'reports was not one of the allowed options: [PRODUCT_ISSUE, BILLING_ISSUE]',
        value: 'reports',
      },
    ]);
  });

  it('reads the docs example (PROPERTY_DOESNT_EXIST) without inventing a value', () => {
    const message =
      'Property values were not valid: [{"isValid":false,"message":"Property \\"testproperty\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"testproperty","localizedErrorMessage":"Property \\"testproperty\\" does not exist","portalId":123}]';
    expect(rejectedPropertyValues(message)).toEqual([
      {
        property: 'testproperty',
        code: 'PROPERTY_DOESNT_EXIST',
        message: 'Property "testproperty" does not exist',
      },
    ]);
  });

  it('keeps a value with spaces and takes an explicit value field over the message', () => {
    const list = [
      {
        isValid: false,
        message: 'Less than 5,000 was not one of the allowed options: [a]',
        error: 'INVALID_OPTION',
        name: 'visitors',
      },
      { isValid: false, error: 'INVALID_OPTION', name: 'band', value: 'x' },
      { isValid: false, error: 'INVALID_OPTION', name: 'bare' },
    ];
    expect(rejectedPropertyValues(`Property values were not valid: ${JSON.stringify(list)}`)).toEqual([
      expect.objectContaining({ property: 'visitors', value: 'Less than 5,000' }),
      { property: 'band', code: 'INVALID_OPTION', value: 'x' },
      { property: 'bare', code: 'INVALID_OPTION' },
    ]);
  });

  it('answers undefined for another message, [] for an unreadable list', () => {
    expect(rejectedPropertyValues(undefined)).toBeUndefined();
    expect(
      rejectedPropertyValues('Duplicate IDs found in batch input: [1]. IDs must be unique'),
    ).toBeUndefined();
    expect(rejectedPropertyValues('Property values were not valid: [{"isValid":fal')).toEqual([]);
    expect(rejectedPropertyValues('Property values were not valid: {"a":1}')).toEqual([]);
  });
});
