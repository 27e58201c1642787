/**
 * Acceptance: "A list filter and a workflow criterion on clv_segment / clv_churn_risk (the JSON shapes in the
 * notes) are valid against the written properties (option values exist)." The shapes come from NOTES §7; the
 * properties are the ones ensureClvProperties and writeChangedValues leave in the sandbox, read back through
 * the real client; a CRM search with the same value proves the values were stored as option values.
 */
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter';
import type { WrittenValues } from '../../../../connectors/hubspot/changed-values';
import {
  churnRiskFilter,
  enumerationFilter,
  FilterShapeError,
  highChurnRiskList,
  highChurnRiskWorkflowCriterion,
  isEnumerationOperation,
  listFilter,
  parseListFilter,
  parseWorkflowCriterion,
  segmentFilter,
  segmentList,
  segmentWorkflowCriterion,
  validateFilterAgainstProperties,
  type PropertyDefinitionLike,
  type PropertyFilter,
} from '../../../../connectors/hubspot/filters';
import { ensureClvProperties, writeChangedValues } from '../../../../connectors/hubspot/writeback';
import { RETRY, SEGMENTS, scoresFor } from '../writeback/writeback-harness';
import { startContractHarness, type ContractHarness } from './contract-harness';
import { notesJsonExamples } from './notes-json';

const WRITTEN = 12;
/** scoresFor(i) gives churn risk ['low','medium','high'][i % 3] and segment SEGMENTS[i % 3].id. */
const expectedIds = (ids: readonly string[], residue: number): string[] =>
  ids.slice(0, WRITTEN).filter((_, i) => i % 3 === residue);

let h: ContractHarness;
let ids: string[];
let properties: PropertyDefinitionLike[];

beforeAll(async () => {
  h = await startContractHarness(40);
  const { connection } = h;
  const ensured = await ensureClvProperties(connection, { segments: SEGMENTS, retry: RETRY });
  ids = h.sandbox.store.objects.contacts.ids.slice();
  const written = await writeChangedValues(connection, {
    updates: new Map(ids.slice(0, WRITTEN).map((id, i) => [id, scoresFor(i)] as const)),
    lastWritten: new Map<string, WrittenValues>(),
    definitions: ensured.definitions,
    retry: RETRY,
  });
  expect(written).toMatchObject({ contactsWritten: WRITTEN, failed: [] });
  properties = (await connection.client.crm.properties.coreApi.getAll('contacts')).results;
});

afterAll(() => h.close());

describe('the NOTES §7 filter shapes', () => {
  it("parse NOTES' own list filter example, and our churn-risk list is that example on clv_churn_risk", () => {
    const [example] = notesJsonExamples(7);
    const parsed = parseListFilter(example);
    const renamed = JSON.parse(JSON.stringify(parsed).replace('"churn_risk_band"', '"clv_churn_risk"'));
    expect(highChurnRiskList()).toEqual(renamed);
  });

  it('reject a root AND branch and an enumeration filter without values, naming the field', () => {
    const [example] = notesJsonExamples(7) as [{ filterBranch: { filterBranchType: string } }];
    const andRoot = { filterBranch: { ...example.filterBranch, filterBranchType: 'AND' } };
    expect(() => parseListFilter(andRoot)).toThrow(FilterShapeError);
    expect(() => parseListFilter(andRoot)).toThrow(
      /filterBranch\.filterBranchType: the root branch must be OR/,
    );
    const empty = listFilter([enumerationFilter('clv_churn_risk', [])]);
    expect(() => parseListFilter(empty)).toThrow(/operation\.values: an enumeration filter needs/);
    const badOperator = listFilter([enumerationFilter('clv_churn_risk', ['high'], 'IS' as never)]);
    expect(() => parseListFilter(badOperator)).toThrow(/operation\.operator/);
  });

  it('the workflow criteria are list-based contact-flow enrollment with the same filter branch', () => {
    const criterion = parseWorkflowCriterion(highChurnRiskWorkflowCriterion());
    expect(criterion).toMatchObject({ type: 'CONTACT_FLOW', enrollmentCriteria: { type: 'LIST_BASED' } });
    expect(criterion.enrollmentCriteria.listFilterBranch).toEqual(highChurnRiskList().filterBranch);
    expect(
      parseWorkflowCriterion(segmentWorkflowCriterion('seg-new')).enrollmentCriteria.listFilterBranch,
    ).toEqual(segmentList('seg-new').filterBranch);
  });
});

describe('the documented filters against the properties written to the sandbox', () => {
  it('the churn-risk and segment list filters and workflow criteria have no problems', () => {
    for (const segment of SEGMENTS) {
      expect(validateFilterAgainstProperties(segmentList(segment.id), properties)).toEqual([]);
      expect(validateFilterAgainstProperties(segmentWorkflowCriterion(segment.id), properties)).toEqual([]);
    }
    expect(validateFilterAgainstProperties(highChurnRiskList(), properties)).toEqual([]);
    expect(validateFilterAgainstProperties(highChurnRiskWorkflowCriterion(), properties)).toEqual([]);
  });

  it('a segment value that was never added is one problem naming it', () => {
    expect(validateFilterAgainstProperties(segmentWorkflowCriterion('seg-never-added'), properties)).toEqual([
      {
        code: 'VALUE_NOT_AN_OPTION',
        property: 'clv_segment',
        operationType: 'ENUMERATION',
        operator: 'IS_ANY_OF',
        value: 'seg-never-added',
        message: expect.stringContaining("'seg-never-added'"),
      },
    ]);
  });

  it('a misspelt property is reported with the name it probably meant', () => {
    const problems = validateFilterAgainstProperties(
      listFilter([enumerationFilter('clv_churn_risc', ['high'])]),
      properties,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'PROPERTY_MISSING',
        property: 'clv_churn_risc',
        operator: 'IS_ANY_OF',
      }),
    ]);
    expect(problems[0].message).toContain('did you mean clv_churn_risk?');
  });

  it('an option label is not a value, and a wrong operation type or archived property is reported', () => {
    const byLabel = validateFilterAgainstProperties(
      listFilter([enumerationFilter('clv_churn_risk', ['High'])]),
      properties,
    );
    expect(byLabel).toEqual([expect.objectContaining({ code: 'VALUE_NOT_AN_OPTION', value: 'High' })]);
    expect(byLabel[0].message).toContain("label of option 'high'");

    const numberOnEnum = listFilter([
      {
        filterType: 'PROPERTY',
        property: 'clv_churn_risk',
        operation: { operationType: 'NUMBER', operator: 'IS_GREATER_THAN', value: 1 },
      },
    ]);
    const enumOnNumber = listFilter([enumerationFilter('clv_predicted_12m', ['100'])]);
    expect(validateFilterAgainstProperties(numberOnEnum, properties)).toEqual([
      expect.objectContaining({
        code: 'OPERATION_NOT_FOR_PROPERTY_TYPE',
        property: 'clv_churn_risk',
        operator: 'IS_GREATER_THAN',
      }),
    ]);
    expect(validateFilterAgainstProperties(enumOnNumber, properties)).toEqual([
      expect.objectContaining({ code: 'OPERATION_NOT_FOR_PROPERTY_TYPE', property: 'clv_predicted_12m' }),
    ]);

    const archived = properties.map((p) => (p.name === 'clv_segment' ? { ...p, archived: true } : p));
    expect(validateFilterAgainstProperties(segmentList(SEGMENTS[0].id), archived)).toEqual([
      expect.objectContaining({ code: 'PROPERTY_ARCHIVED', property: 'clv_segment' }),
    ]);
  });

  it('a CRM search with the same property and value finds exactly the contacts written with it', async () => {
    // IS_ANY_OF [v] in a list is the search's EQ v: both compare the stored option value (NOTES §4.1, §7).
    const search = async (filter: PropertyFilter): Promise<string[]> => {
      const operation = filter.operation;
      if (!isEnumerationOperation(operation))
        throw new Error(`${filter.property} is not an enumeration filter`);
      const page = await h.connection.client.crm.contacts.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: filter.property, operator: FilterOperatorEnum.Eq, value: operation.values[0] },
            ],
          },
        ],
        properties: [filter.property],
        limit: 100,
      });
      return page.results.map((r) => r.id).sort();
    };
    expect(await search(churnRiskFilter('high'))).toEqual(expectedIds(ids, 2).sort());
    expect(await search(segmentFilter(SEGMENTS[0].id))).toEqual(expectedIds(ids, 0).sort());
  });
});
