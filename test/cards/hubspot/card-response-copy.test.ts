/**
 * The HubSpot project keeps its own copy of the card API's response type (it is uploaded alone and cannot
 * import from here). The lines below are the compile-time check that the copy and `CardResponse` stay
 * assignable both ways: tsc (npm run lint) fails on them when the two drift, and the first test compiles this
 * very file with the repository's compiler options, so `npm test` fails too (ts-jest only transpiles).
 */
import path from 'node:path';
import ts from 'typescript';
import { cardResponseSchema, type CardResponse } from '../../../cards/contact-card/card-response';
import type { CardResponse as CardResponseCopy } from '../../../cards/hubspot/src/app/cards/card-response';
import { buildCardResponse } from './build-card-response';

export const copyFromServer: CardResponseCopy = {} as CardResponse;
export const serverFromCopy: CardResponse = {} as CardResponseCopy;

describe('the HubSpot project’s copy of the card response type', () => {
  it('is assignable to and from the server’s CardResponse (the file type-checks)', () => {
    const repo = path.resolve(__dirname, '../../..');
    const configFile = ts.readConfigFile(path.join(repo, 'tsconfig.json'), (file) => ts.sys.readFile(file));
    const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, repo);
    const program = ts.createProgram([__filename], { ...config.options, noEmit: true });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('describes a response the server’s zod schema accepts', () => {
    const sample: CardResponseCopy = buildCardResponse();
    expect(cardResponseSchema.safeParse(sample).success).toBe(true);
    const fallback: CardResponseCopy = buildCardResponse({
      status: 'too-little-history',
      reason: 'One order so far: the models need a second to see a buying rhythm.',
      churn: null,
      pAlive: null,
      nextOrderDate: null,
    });
    expect(cardResponseSchema.parse(fallback)).toEqual(fallback);
  });
});
