import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import unicorn from 'eslint-plugin-unicorn';
import tseslint from 'typescript-eslint';

// Dependency direction (docs/architecture.md, "Dependency direction"). Each zone names a folder and
// the folders it must never import from; test/lint/lint-rules.test.ts tries them.
const seeArchitecture = 'See docs/architecture.md, "Dependency direction".';

// Server layers, lowest first: each imports only the layers before it. The files at the root of
// src/ (app, start-server, server-context, config, ids) wire the layers together.
const serverLayers = ['db', 'http', 'auth', 'events', 'sts', 'coordinator', 'jobs'];
const serverZones = serverLayers.slice(0, -1).map((layer, index) => ({
  target: `packages/server/src/${layer}`,
  from: serverLayers.slice(index + 1).map((above) => `packages/server/src/${above}`),
  message: `server layers import only downwards (${serverLayers.join(' ← ')}): ${layer}/ must not import ${serverLayers.slice(index + 1).join(', ')}. ${seeArchitecture}`,
}));

const sdk = (...paths) => paths.map((path) => `packages/sdk/src/${path}`);
const sdkClients = ['caracal.ts', 'default-client.ts', 'entry-default-client.ts', 'index.ts'];
const sdkZones = [
  {
    target: sdk('errors.ts', 'model', 'time', 'retry'),
    from: sdk('http', 'auth', 'propagation', 'context', 'config', 'transport', 'verify', ...sdkClients),
    message: `sdk errors.ts, model/, time/ and retry/ are the core every other part builds on; they import none of them. ${seeArchitecture}`,
  },
  {
    target: sdk('propagation'),
    from: sdk('http', 'auth', 'context', 'config', 'transport', 'verify', ...sdkClients),
    message: `sdk propagation/ is the pure W3C codec entry: no I/O, no context domain, no clients. ${seeArchitecture}`,
  },
  {
    target: sdk('http', 'auth'),
    from: sdk('context', 'config', 'transport', 'verify', ...sdkClients),
    message: `sdk http/ and auth/ talk to the Coordinator and the STS; they know no context, transport or verifier. ${seeArchitecture}`,
  },
  {
    target: sdk('context'),
    from: sdk('config', 'transport', 'verify', ...sdkClients),
    message: `sdk context/ is the domain the transports and the verifier build on; it imports neither. ${seeArchitecture}`,
  },
  {
    // The entry files of `@caracal/sdk/mcp` and `/a2a` (transport/*/index.ts) bind the default client.
    target: sdk('transport/**/!(index).ts', 'transport/*/*/**/index.ts'),
    from: sdk('verify', 'default-client.ts', 'entry-default-client.ts', 'index.ts'),
    message: `sdk transport/ takes its client as a parameter; it never reaches for the root default client (or the verifier). ${seeArchitecture}`,
  },
  {
    target: sdk('verify'),
    from: sdk('transport', 'config', ...sdkClients),
    message: `sdk verify/ is the receiving side: it never loads the outbound transports or the clients. ${seeArchitecture}`,
  },
];

const zones = [...serverZones, ...sdkZones];

// Which workspace packages each package may not import by name: protocol ← sdk ← server ← cli.
const packageRules = [
  { dir: 'packages/protocol', forbidden: ['@caracal/sdk', '@caracal/server', '@caracal/cli'] },
  { dir: 'packages/sdk', forbidden: ['@caracal/server', '@caracal/cli'] },
  { dir: 'packages/server', forbidden: ['@caracal/cli'] },
];

const noFocusOrSkip = [
  { selector: "CallExpression[callee.property.name='only']", message: 'Focused tests are not allowed.' },
  { selector: "CallExpression[callee.property.name='skip']", message: 'Skipped tests are not allowed.' },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.toolchain/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...noFocusOrSkip],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver()],
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // A package reaches another package through its name and exports, never `../../other/src`.
    files: ['packages/**/*.ts'],
    rules: { 'import-x/no-relative-packages': 'error' },
  },
  {
    // Tests, examples and benches use the packages as users get them, never their sources.
    files: ['test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+packages/[^/]+/src(/|$)',
              message: `Import the package by name (its exports), not its src/. ${seeArchitecture}`,
            },
          ],
        },
      ],
    },
  },
  ...packageRules.map(({ dir, forbidden }) => ({
    files: [`${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbidden.flatMap((name) => [name, `${name}/*`]),
              message: `Packages depend one way: protocol ← sdk ← server ← cli. ${seeArchitecture}`,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['**/*.{ts,js}'],
    plugins: { unicorn },
    rules: { 'unicorn/filename-case': ['error', { case: 'kebabCase' }] },
  },
  {
    // Only an executable's entry file decides when the process ends.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/bin.ts', 'packages/*/src/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only bin.ts and main.ts end the process; set process.exitCode or throw.' },
      ],
    },
  },
  {
    // Library code: no console, no process.exit, no env reads below the entry files.
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Library code never exits the process.' },
        { object: 'process', property: 'env', message: 'Read env only in Caracal.fromEnv().' },
      ],
    },
  },
);
