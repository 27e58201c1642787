import { inputsToRetry, splitBatchResult } from '../../../connectors/hubspot/batch-result';

const inputs = ['1', '2', '3', '4', '5'].map((id) => ({ id, properties: { clv_churn_risk: 'high' } }));
const keyOf = (input: { id: string }) => input.id;

describe('splitBatchResult (207 Multi-Status, NOTES §4.1)', () => {
  it('retries exactly the inputs named by errors and keeps the rest as written', () => {
    const body = {
      status: 'COMPLETE',
      results: [{ id: '1' }, { id: '4' }],
      numErrors: 2,
      errors: [
        { status: 'error', category: 'INTERNAL_ERROR', message: 'try again', context: { ids: ['2', '3'] } },
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message:
            'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
          context: { ids: ['5'] },
        },
      ],
      startedAt: '2024-08-15T17:09:13.610Z',
      completedAt: '2024-08-15T17:09:13.910Z',
    };
    const split = splitBatchResult(inputs, body, keyOf);
    expect(split.succeeded.map(keyOf)).toEqual(['1', '4']);
    expect(split.failed.map((f) => [f.input.id, f.category, f.retriable])).toEqual([
      ['2', 'INTERNAL_ERROR', true],
      ['3', 'INTERNAL_ERROR', true],
      ['5', 'OBJECT_NOT_FOUND', false],
    ]);
    expect(inputsToRetry(split).map(keyOf)).toEqual(['2', '3']);
  });

  it('counts an input missing from results and named by no error as failed, not written', () => {
    const split = splitBatchResult(inputs.slice(0, 2), { results: [{ id: '1' }], errors: [] }, keyOf);
    expect(split.failed).toEqual([
      { input: inputs[1], message: 'not in the batch results and named by no error', retriable: true },
    ]);
  });

  it('treats a 200 body (no errors) as all succeeded and tolerates junk', () => {
    expect(splitBatchResult(inputs, { status: 'COMPLETE', results: inputs }, keyOf).failed).toEqual([]);
    expect(splitBatchResult(inputs, null, keyOf).succeeded).toHaveLength(5);
  });
});
