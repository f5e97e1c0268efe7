// ESLint (flat config) for the web UI's modules (browser, ES modules) and this test suite (Node).
// `npm run lint` runs it from the repository's root (-c ui-tests/eslint.config.js), where both lie.
import js from '@eslint/js';
import globals from 'globals';

const WEBROOT_JS = 'gateway/src/main/resources/webroot/js/**/*.js';

export default [
  { ignores: ['**/node_modules/**', '**/target/**'] },
  {
    files: [WEBROOT_JS, 'ui-tests/**/*.js'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      ...js.configs.recommended.rules,
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
      eqeqeq: ['error', 'smart'],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    files: [WEBROOT_JS],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['ui-tests/**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // the callbacks of page.evaluate() run in the page
    files: ['ui-tests/test/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
