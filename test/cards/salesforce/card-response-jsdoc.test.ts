/**
 * The Lightning card is JavaScript deployed on its own, so it declares the card API's response as JSDoc types
 * (clvCardView.js `CardResponse`). This test compiles, with checkJs and the repository's compiler options, a
 * small file asserting that type and the server's CardResponse (cards/contact-card/card-response.ts) are
 * assignable both ways, and that the view the module returns is the one the tests use: a field renamed,
 * added or retyped on either side fails here. checkJs also type-checks the view module itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { cardResponseSchema } from '../../../cards/contact-card/card-response';
import { buildCardResponse } from '../hubspot/build-card-response';
import { VIEW_MODULE } from './clv-card-view';

const repo = path.resolve(__dirname, '../../..');
const checkFile = path.join(__dirname, 'lwc-types.check.ts');
const checkSource = `
import type { CardResponse } from ${JSON.stringify(path.join(repo, 'cards/contact-card/card-response'))};
import type { CardResponse as LwcCardResponse, CardView as LwcCardView, CardLoad as LwcCardLoad } from ${JSON.stringify(VIEW_MODULE)};
import type { CardView, CardLoad } from ${JSON.stringify(path.join(__dirname, 'clv-card-view'))};
export const lwcFromServer: LwcCardResponse = {} as CardResponse;
export const serverFromLwc: CardResponse = {} as LwcCardResponse;
export const viewFromLwc: CardView = {} as LwcCardView;
export const lwcFromView: LwcCardView = {} as CardView;
export const loadFromLwc: CardLoad = {} as LwcCardLoad;
`;

function problems(): string[] {
  const configFile = ts.readConfigFile(path.join(repo, 'tsconfig.json'), (file) => ts.sys.readFile(file));
  const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, repo);
  const options = { ...config.options, allowJs: true, checkJs: true, noEmit: true };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === checkFile || fileExists(file);
  host.readFile = (file) => (file === checkFile ? checkSource : readFile(file));
  host.getSourceFile = (file, language, ...rest) =>
    file === checkFile
      ? ts.createSourceFile(file, checkSource, language)
      : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([checkFile], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.relative(repo, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe('the Lightning card’s JSDoc copy of the card response type', () => {
  it('is assignable to and from the server’s CardResponse, and the view module type-checks', () => {
    expect(problems()).toEqual([]);
  });

  it('is what the component test’s card fixture is: a response the server’s schema accepts', () => {
    const fixture = path.join(path.dirname(VIEW_MODULE), '../clvContactCard/__tests__/data/scoredCard.json');
    const parsed = cardResponseSchema.safeParse(JSON.parse(readFileSync(fixture, 'utf8')));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('describes the responses the server’s zod schema accepts (scored and fallback)', () => {
    expect(cardResponseSchema.safeParse(buildCardResponse()).success).toBe(true);
    expect(
      cardResponseSchema.safeParse(
        buildCardResponse({ status: 'too-little-history', reason: 'One order.', churn: null, pAlive: null }),
      ).success,
    ).toBe(true);
  });
});
