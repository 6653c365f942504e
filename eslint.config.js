import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import unicorn from 'eslint-plugin-unicorn';
import tseslint from 'typescript-eslint';

// Dependency direction (docs/architecture.md, "Dependency direction"). Each zone names a folder and
// the folders it must never import from; test/lint/lint-rules.test.ts tries each one.
const server = 'packages/server/src';
const sdk = 'packages/sdk/src';
const serverFeatures = ['sts', 'events', 'coordinator', 'jobs'];
const seeArchitecture = 'See docs/architecture.md, "Dependency direction".';

const zones = [
  {
    target: `${server}/http`,
    from: serverFeatures.map((dir) => `${server}/${dir}`),
    message: `server http/ is shared plumbing: features build on it, it never imports a feature. ${seeArchitecture}`,
  },
  {
    target: `${server}/db`,
    from: ['http', 'auth', ...serverFeatures].map((dir) => `${server}/${dir}`),
    message: `server db/ is the bottom layer: it imports no http, auth or feature code. ${seeArchitecture}`,
  },
  {
    target: `${server}/auth`,
    from: serverFeatures.map((dir) => `${server}/${dir}`),
    message: `server auth/ sits below the features. ${seeArchitecture}`,
  },
  {
    target: `${server}/events`,
    from: ['sts', 'coordinator', 'jobs'].map((dir) => `${server}/${dir}`),
    message: `server events/ carries what the STS and Coordinator publish; it never imports them. ${seeArchitecture}`,
  },
  {
    target: `${server}/sts`,
    from: ['coordinator', 'jobs'].map((dir) => `${server}/${dir}`),
    message: `the STS never imports the Coordinator or the jobs (the Coordinator calls the STS). ${seeArchitecture}`,
  },
  {
    target: `${server}/coordinator`,
    from: [`${server}/jobs`],
    message: `jobs drive the Coordinator, never the reverse. ${seeArchitecture}`,
  },
  {
    target: `${sdk}/propagation`,
    from: [`${sdk}/context`, `${sdk}/caracal.ts`, `${sdk}/default-client.ts`, `${sdk}/transport`, `${sdk}/verify`],
    message: `sdk propagation/ is the pure W3C codec entry: it never depends on the context domain or the clients. ${seeArchitecture}`,
  },
  {
    target: `${sdk}/transport`,
    from: [`${sdk}/default-client.ts`, `${sdk}/index.ts`],
    message: `sdk transport/ takes its client as a parameter; it never reaches for the root default client. ${seeArchitecture}`,
  },
  {
    target: [`${sdk}/context`, `${sdk}/retry`, `${sdk}/errors.ts`],
    from: [`${sdk}/transport`, `${sdk}/verify`, `${sdk}/default-client.ts`],
    message: `sdk context/, retry/ and errors.ts are the core the transports and the verifier build on. ${seeArchitecture}`,
  },
];

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
