import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.toolchain/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'Focused tests are not allowed.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'Skipped tests are not allowed.' },
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
