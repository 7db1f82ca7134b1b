// Lint: rules that catch real bugs are errors; layout is Prettier's business (eslint-config-prettier
// switches off every rule it would fight). Type-aware rules use the TypeScript project service.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'generated/', 'coverage/', '.data/', 'test-output/', 'cabinet/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // A feature folder imports its own files (`./x`) and shared places (`../../shared/x`, `../../format`…),
    // never a sibling feature (`../other/x`, `../../features/other/x`): what two features need lives in
    // bot/shared/ (or bot/callback-data/, bot/keyboards/…), so a feature is changed without breaking another.
    // Feature folders are flat, so one `../` followed by a name is always another feature.
    files: ['bot/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[^./]|(^|/)features/',
              message:
                "A feature imports only its own files and shared places: move what features share to bot/shared/ (see ARCHITECTURE.md, 'Where shared bot helpers live').",
            },
          ],
        },
      ],
    },
  },
  {
    // Command-line programs talk to a terminal: printing is what they do.
    files: ['scripts/**', 'admin/cli.ts', 'admin/cli/**', 'worker/healthcheck.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests poke at wire shapes the way a client would; a typed fixture for each is not worth it.
    files: ['**/*.spec.ts', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
  },
  prettier,
);
