import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');

/** The example of the core in docs/contributing.md, the one a reader copies first. */
function coreExample(): string {
  const readme = readFileSync(join(root, 'docs', 'contributing.md'), 'utf8');
  const block = /## The core\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('docs/contributing.md has no ts example under "## The core"');
  return block;
}

/** What the example leaves to the reader: the request's bytes and headers, the secrets, an answer. */
const givens = `
declare const rawBody: Buffer;
declare const headers: Record<string, string>;
declare const current: string;
declare const previous: string;
declare function respond(status: number, message: string): void;
`;

describe('docs/contributing.md', () => {
  it('shows a use of the core that compiles against its types', () => {
    // Beside shared/, where the README's import points.
    const file = join(root, 'readme-example.ts');
    const source = `${coreExample()}${givens}export {};\n`;
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? source : readFile(name));
    const program = ts.createProgram([file], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});
