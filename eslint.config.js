const tseslint = require('typescript-eslint');

/** What the host-free core may never reach: hosts, the environment, timers, files, the network. */
const CORE_FORBIDDEN_GLOBALS = [
  'process', 'globalThis', 'global', 'window', 'setTimeout', 'setInterval', 'setImmediate',
  'clearTimeout', 'clearInterval', 'clearImmediate', 'fetch', 'require',
].map((name) => ({ name, message: 'The core in shared/ runs inside n8n and Zapier: no environment, timers, I/O or globals.' }));

const CORE_FORBIDDEN_MODULES = [
  'n8n-workflow', 'n8n-core', 'zapier-platform-core', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises',
  'http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'child_process', 'node:child_process',
  'timers', 'node:timers', 'timers/promises', 'node:timers/promises', 'process', 'node:process',
];

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.n8n/**', 'artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...CORE_FORBIDDEN_GLOBALS],
      'no-restricted-imports': ['error', { paths: CORE_FORBIDDEN_MODULES, patterns: ['n8n-*', '@n8n/*', 'zapier-*'] }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'The core loads no modules at run time.' },
        { selector: "MemberExpression[object.name='process']", message: 'The core reads no environment.' },
      ],
    },
  },
  {
    // Tests read vendor answers as loose JSON; the product code stays free of `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
