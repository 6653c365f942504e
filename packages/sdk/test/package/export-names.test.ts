import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A name the package exports means one thing wherever it is exported: two entries may export the
 * same name only when it is the same declaration (`Clock` from the root and from `./a2a`), never
 * two different types that happen to share a name.
 */

const packageRoot = resolve(import.meta.dirname, '../..');
const tsupConfig = readFileSync(join(packageRoot, 'tsup.config.ts'), 'utf8');
const entries = [...tsupConfig.matchAll(/^\s+(\w+): '(src\/[^']+\.ts)',$/gm)].map(([, name, file]) => ({ name: name!, file: join(packageRoot, file!) }));

function declarationsByName(): Map<string, Map<string, string[]>> {
  const program = ts.createProgram({ rootNames: entries.map((entry) => entry.file), options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, strict: true, skipLibCheck: true } });
  const checker = program.getTypeChecker();
  const byName = new Map<string, Map<string, string[]>>();
  for (const entry of entries) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry.file)!);
    for (const exported of checker.getExportsOfModule(moduleSymbol!)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = target.declarations![0]!;
      const where = `${relative(packageRoot, declaration.getSourceFile().fileName)}#${target.name}`;
      const declarations = byName.get(exported.name) ?? new Map<string, string[]>();
      declarations.set(where, [...(declarations.get(where) ?? []), entry.name]);
      byName.set(exported.name, declarations);
    }
  }
  return byName;
}

describe('public export names', () => {
  it('reads every entry of tsup.config.ts', () => {
    expect(entries.map((entry) => entry.name)).toEqual(['index', 'propagation', 'mcp', 'a2a', 'verify', 'admin']);
  });

  it('no two entries export one name for two different things', { timeout: 60_000 }, () => {
    const byName = declarationsByName();
    const clashes = [...byName].filter(([, declarations]) => declarations.size > 1).map(([name, declarations]) => ({ name, declarations: Object.fromEntries(declarations) }));
    expect(clashes).toEqual([]);
    // Shared on purpose, one declaration each: the transports' fetch shape and the retry types.
    expect([...byName.get('FetchLike')!.keys()]).toEqual(['src/transport/dispatch.ts#FetchLike']);
    expect([...byName.get('Clock')!.values()].flat()).toEqual(['index', 'a2a']);
  });
});
