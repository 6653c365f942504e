/**
 * Type-checks every JSDoc `@example` block under `src/` (STYLE: examples are part of the API and
 * must compile). Each example becomes a module of its own under
 * `node_modules/.cache/jsdoc-examples/`: the body runs inside an async function, with every name
 * the SDK's modules export in scope, and the free names examples use (a `caracal` client, a
 * `request`, …) typed by `jsdoc-example-scope.ts`. Run by `pnpm run typecheck`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface JsdocExample {
  /** The source file, absolute. */
  readonly file: string;
  /** 1-based line of the example's first code line. */
  readonly line: number;
  readonly code: string;
}

export interface ExampleProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const packageRoot = resolve(import.meta.dirname, '..');
const SCOPE_FILE = join(import.meta.dirname, 'jsdoc-example-scope.ts');

/** The `@example` blocks of one source text: the lines after the tag, up to the next tag or the comment's end. */
export function extractExamples(file: string, text: string): JsdocExample[] {
  const examples: JsdocExample[] = [];
  const lines = text.split('\n');
  let inComment = false;
  let current: { line: number; code: string[] } | undefined;
  const finish = (): void => {
    if (current === undefined) return;
    const code = current.code.join('\n').trim();
    if (code !== '') examples.push({ file, line: current.line, code: current.code.join('\n') });
    current = undefined;
  };
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!inComment) {
      if (!trimmed.startsWith('/**')) return;
      inComment = true;
    }
    const ends = trimmed.endsWith('*/');
    // The comment's text: without the leading ` * ` and the closing `*/`.
    const content = trimmed
      .replace(/^\/\*\*\s?/, '')
      .replace(/\*\/$/, '')
      .replace(/^\* ?/, '')
      .replace(/\s+$/, '');
    const exampleTag = /^@example\b\s?(.*)$/.exec(content);
    if (exampleTag !== undefined && exampleTag !== null) {
      finish();
      current = { line: index + 2, code: [] };
      // Text on the tag's own line is a caption, not code.
    } else if (/^@\w/.test(content)) {
      finish();
    } else if (current !== undefined) {
      const code = raw.replace(/\s*\*\/\s*$/, '').replace(/^\s*(\/\*\*|\*) ?/, '');
      if (current.code.length === 0 && content === '') current.line += 1;
      else if (!(ends && content === '')) current.code.push(code);
    }
    if (ends) {
      finish();
      inComment = false;
    }
  });
  return examples;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(packageRoot, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, packageRoot, undefined, configPath);
  // Examples are fragments: what they declare and leave unused is fine.
  return { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
}

interface ExportedName {
  readonly name: string;
  readonly file: string;
  readonly isValue: boolean;
}

/** Every name the modules under `srcDir` export, by the file that declares it. */
function exportedNames(program: ts.Program, srcDir: string): Map<string, ExportedName[]> {
  const checker = program.getTypeChecker();
  const names = new Map<string, ExportedName[]>();
  for (const sourceFile of program.getSourceFiles()) {
    if (!sourceFile.fileName.startsWith(srcDir + '/')) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    if (moduleSymbol === undefined) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const file = target.declarations?.[0]?.getSourceFile().fileName ?? sourceFile.fileName;
      if (!file.startsWith(srcDir + '/')) continue;
      const entry = { name: exported.name, file, isValue: (target.flags & ts.SymbolFlags.Value) !== 0 };
      const known = names.get(exported.name) ?? [];
      if (!known.some((other) => other.file === file)) names.set(exported.name, [...known, entry]);
    }
  }
  return names;
}

function scopeNames(program: ts.Program): Set<string> {
  const checker = program.getTypeChecker();
  const scope = program.getSourceFile(SCOPE_FILE);
  const symbol = scope === undefined ? undefined : checker.getSymbolAtLocation(scope);
  return new Set(symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((exported) => exported.name));
}

function importPath(from: string, to: string): string {
  const path = relative(from, to);
  return path.startsWith('.') ? path : `./${path}`;
}

/** The names an `import` line binds: `{ a, b as c }`, a default, `* as ns`. */
function importedNames(line: string): string[] {
  const clause = /^import\s+(?:type\s+)?(.*?)\s+from\s/.exec(line.trim())?.[1] ?? '';
  const named = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
  const outside = clause.replace(/\{[^}]*\}/, '').split(',').map((part) => part.replace(/^\*\s+as\s+/, '').trim());
  const inside = named.split(',').map((part) => part.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim());
  return [...outside, ...inside].filter((name) => name !== '');
}

/** The module checked for one example, and where its lines come from. */
function exampleModule(example: JsdocExample, outDir: string, names: Map<string, ExportedName[]>, scope: Set<string>): { text: string; firstCodeLine: number } {
  // Import lines of the example itself go to the top of the module, the rest into the function.
  const lines = example.code.split('\n');
  const isImport = (line: string): boolean => /^import\s/.test(line.trim());
  const ownImports = lines.filter(isImport);
  const own = new Set(ownImports.flatMap(importedNames));
  const byFile = new Map<string, string[]>();
  for (const [name, candidates] of names) {
    if (own.has(name)) continue;
    // A name two modules export means two things: the example's own module decides.
    const chosen = candidates.length === 1 ? candidates[0] : candidates.find((candidate) => candidate.file === example.file);
    if (chosen === undefined) continue;
    byFile.set(chosen.file, [...(byFile.get(chosen.file) ?? []), chosen.isValue ? name : `type ${name}`]);
  }
  const header = [`// ${relative(packageRoot, example.file)}:${example.line}`, ...ownImports];
  for (const [file, imported] of byFile) header.push(`import { ${imported.join(', ')} } from '${importPath(outDir, file)}';`);
  const fromScope = [...scope].filter((name) => !names.has(name) && !own.has(name));
  if (fromScope.length > 0) header.push(`import { ${fromScope.join(', ')} } from '${importPath(outDir, SCOPE_FILE)}';`);
  // No return type: an example may end with `return response;`.
  header.push('export async function example() {');
  const body = lines.map((line) => (isImport(line) ? '' : line));
  return { text: `${header.join('\n')}\n${body.join('\n')}\n}\n`, firstCodeLine: header.length + 1 };
}

function walk(dir: string): string[] {
  return ts.sys.readDirectory(dir, ['.ts'], undefined, undefined).filter((file) => !file.endsWith('.d.ts'));
}

/**
 * Type-checks the `@example` blocks of every `.ts` file under `srcDir`. Resolves to the problems
 * found, each pointing at the example's line in its source file; none means they all compile.
 */
export function checkJsdocExamples(options: { srcDir?: string; outDir?: string } = {}): { examples: number; problems: ExampleProblem[] } {
  const srcDir = resolve(options.srcDir ?? join(packageRoot, 'src'));
  const outDir = resolve(options.outDir ?? join(packageRoot, 'node_modules/.cache/jsdoc-examples'));
  const compiler = compilerOptions();
  const sources = walk(srcDir);
  const sourceProgram = ts.createProgram({ rootNames: [...sources, SCOPE_FILE], options: compiler });
  const names = exportedNames(sourceProgram, srcDir);
  const scope = scopeNames(sourceProgram);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const generated = new Map<string, { example: JsdocExample; firstCodeLine: number }>();
  for (const file of sources) {
    extractExamples(file, readFileSync(file, 'utf8')).forEach((example, index) => {
      const { text, firstCodeLine } = exampleModule(example, outDir, names, scope);
      const name = join(outDir, `${relative(srcDir, file).replaceAll('/', '__').replace(/\.ts$/, '')}.${index}.ts`);
      writeFileSync(name, text);
      generated.set(name, { example, firstCodeLine });
    });
  }

  const program = ts.createProgram({ rootNames: [...generated.keys()], options: compiler, oldProgram: sourceProgram });
  const problems: ExampleProblem[] = [];
  for (const [name, { example, firstCodeLine }] of generated) {
    const sourceFile = program.getSourceFile(name);
    if (sourceFile === undefined) continue;
    for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
      const line = diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      problems.push({
        file: relative(packageRoot, example.file),
        line: line >= firstCodeLine ? example.line + (line - firstCodeLine) : example.line,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
      });
    }
  }
  return { examples: generated.size, problems };
}

if (import.meta.main) {
  const { examples, problems } = checkJsdocExamples();
  for (const problem of problems) console.error(`${problem.file}:${problem.line}: ${problem.message}`);
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s) in the JSDoc examples (${examples} checked).`);
    process.exitCode = 1;
  } else {
    console.log(`${examples} JSDoc examples type-check.`);
  }
}
