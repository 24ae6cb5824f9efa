// Flat config: typescript-eslint's type-aware rules catch floating promises and
// unsafe `any`, the two mistakes that hurt most in a queue-driven service.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.data/', '.tap/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Fastify plugins and hooks are async by contract, awaited or not.
      '@typescript-eslint/require-await': 'off',
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    files: ['migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-call': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' }
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', 'src/cli.ts', 'src/cli/**'],
    rules: { 'no-console': 'off' }
  },
  {
    // tap's t.test() at the top level is awaited by the runner; inject()'s
    // json() is `any` by design and the assertions check its shape.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off'
    }
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The console's browser scripts (src/http/console/assets): plain ES modules, no type information.
  { files: ['src/http/console/assets/**/*.js'], ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { projectService: false, project: null }, globals: { window: 'readonly', document: 'readonly', location: 'readonly', sessionStorage: 'readonly', fetch: 'readonly', URLSearchParams: 'readonly', FormData: 'readonly', Node: 'readonly', setInterval: 'readonly' } } }
)
