// Lint: TypeScript rules plus the layer rules of docs/architecture.md. A wrong import between
// layers fails `npm run lint` (and so CI).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const layer = (names, why) => ({ regex: `(^|/)(${names.join('|')})/`, message: why });
const packages = (names, why) => names.map((name) => ({ name, message: why }));

/** Builds the no-restricted-imports rule for one layer. */
const restrict = ({ paths = [], patterns = [] }) => ['error', { paths, patterns }];

const nodeOnly = packages(
  [...nodeBuiltins, 'ws', 'better-sqlite3', 'sharp', 'busboy', 'pino', 'electron', 'electron-store'],
  'not in this layer: see docs/architecture.md',
);

// What every hub file is refused; the hub's inner layers below add theirs to it (a later block's
// no-restricted-imports replaces an earlier one's, it does not add to it).
const hubPaths = [
  ...packages(['electron', 'electron-store', 'preact', '@preact/signals'], 'the hub is a plain Node service'),
  ...packages(['ioredis'], 'only hub/cluster/ talks to Redis: publish through the EventSink (hub/ops/HubEvent.ts)'),
];
const hubPatterns = [layer(['main', 'preload', 'renderer', 'tests'], 'hub/ never imports client code')];
const hubRule = ({ paths = [], patterns = [] }) =>
  restrict({ paths: [...hubPaths, ...paths], patterns: [...hubPatterns, ...patterns] });

// Inside the hub: cli -> server -> ops -> store (interfaces) <- store/sqlite (docs/architecture.md).
const storeWhy = 'the store imports only common/protocol, its own folder and its driver (better-sqlite3, hub/db)';
const aboveStore = 'only the store touches SQL: go through ctx.store (hub/store/*Store.ts)';
const opsPatterns = [
  layer(['server', 'admin', 'cli'], 'operations are called by the server, admin and CLI, never the reverse'),
  { regex: '(^|/)db/', message: aboveStore },
];

const rendererPatterns = [
  { regex: '^node:', message: 'the renderer runs in a page: no Node APIs' },
  layer(['hub', 'main', 'preload', 'tests'], 'renderer/ talks to the hub only through its Backend interface'),
];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'data/', 'bench-results/', 'test-results/', '**/*.d.ts'],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'No re-export barrels: import from the file that defines it.' },
        {
          selector: 'ExportNamedDeclaration[source]',
          message: 'No re-export barrels: import from the file that defines it.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['common/**'],
    rules: {
      'no-restricted-imports': restrict({
        paths: [...nodeOnly, ...packages(['preact', '@preact/signals', 'preact/hooks'], 'common/ has no UI')],
        patterns: [
          layer(['hub', 'main', 'preload', 'renderer', 'tests'], 'common/ imports nothing from the other layers'),
        ],
      }),
    },
  },
  {
    files: ['hub/**'],
    rules: { 'no-restricted-imports': hubRule({}) },
  },
  {
    // The store's interfaces: driver-free, so another store can implement them.
    files: ['hub/store/*.ts'],
    rules: {
      'no-restricted-imports': hubRule({
        patterns: [
          {
            regex: '^(?![.]/[^/]+$|[.][.]/[.][.]/common/protocol/)',
            message: 'a store interface imports only the other interfaces beside it and common/protocol',
          },
        ],
      }),
    },
  },
  {
    // The SQLite store: its driver, Node, hub/db (opening and migrating), common/protocol, and the store.
    files: ['hub/store/sqlite/**'],
    rules: {
      'no-restricted-imports': hubRule({
        patterns: [
          layer(['ops', 'server', 'admin', 'cli', 'config', 'log', 'integrations'], storeWhy),
          { regex: '(^|/)common/(?!protocol/)', message: storeWhy },
          { regex: '^(?![.]|node:|better-sqlite3$)', message: storeWhy },
        ],
      }),
    },
  },
  {
    // The PostgreSQL store: its driver, Node, common/protocol, the store interfaces and the search
    // terms shared with SQLite (hub/store/search), and its own folder.
    files: ['hub/store/postgres/**'],
    rules: {
      'no-restricted-imports': hubRule({
        patterns: [
          layer(['ops', 'server', 'admin', 'cli', 'config', 'log', 'integrations', 'sqlite', 'db'], storeWhy),
          { regex: '(^|/)common/(?!protocol/)', message: storeWhy },
          { regex: '^(?![.]|node:|pg$)', message: storeWhy },
        ],
      }),
    },
  },
  {
    files: ['hub/ops/**'],
    rules: {
      'no-restricted-imports': hubRule({
        paths: packages(['better-sqlite3', 'pg'], aboveStore),
        patterns: [...opsPatterns, { regex: '(^|/)store/(sqlite|postgres)/', message: aboveStore }],
      }),
    },
  },
  {
    // The one place the operations name the storage implementation: createHub opens the SQLite store.
    files: ['hub/ops/createHub.ts'],
    rules: {
      'no-restricted-imports': hubRule({
        paths: packages(['better-sqlite3', 'pg'], aboveStore),
        patterns: [
          ...opsPatterns,
          { regex: '(^|/)store/sqlite/(?!openSqliteStore[.]ts$)', message: 'createHub opens the store, nothing more' },
          {
            regex: '(^|/)store/postgres/(?!openPostgresStore[.]ts$)',
            message: 'createHub opens the store, nothing more',
          },
        ],
      }),
    },
  },
  {
    files: ['hub/server/**'],
    rules: {
      'no-restricted-imports': hubRule({
        paths: packages(['better-sqlite3'], 'the server reaches storage only through the Hub operations'),
        patterns: [layer(['store'], 'the server reaches storage only through the Hub operations (hub/ops/Hub.ts)')],
      }),
    },
  },
  {
    // The fan-out between nodes: ioredis (here only), Node, the EventSink it decorates and the
    // protocol it checks; never storage, nor the server it is plugged into.
    files: ['hub/cluster/**'],
    rules: {
      'no-restricted-imports': restrict({
        paths: [
          ...hubPaths.filter((p) => p.name !== 'ioredis'),
          ...packages(['better-sqlite3', 'pg'], 'the event bus carries events, it stores nothing'),
        ],
        patterns: [
          ...hubPatterns,
          layer(
            ['store', 'db', 'server', 'admin', 'cli'],
            'the event bus knows only the EventSink (hub/ops/HubEvent.ts)',
          ),
        ],
      }),
    },
  },
  {
    files: ['renderer/**'],
    rules: { 'no-restricted-imports': restrict({ paths: nodeOnly, patterns: rendererPatterns }) },
  },
  {
    // Components read signals and call actions; only renderer/actions and main.tsx reach the backend.
    files: ['renderer/{components,ui,dialogs,list,messages}/**'],
    rules: {
      'no-restricted-imports': restrict({
        paths: nodeOnly,
        patterns: [
          ...rendererPatterns,
          layer(['backend'], 'components read renderer/state signals and call renderer/actions, never the backend'),
        ],
      }),
    },
  },
  {
    files: ['main/**'],
    ignores: ['main/shell/**'],
    rules: {
      'no-restricted-imports': restrict({
        paths: [
          ...packages(
            ['electron', 'electron-store'],
            'only main/shell/ touches Electron: put it behind an interface there',
          ),
          ...packages(['better-sqlite3', 'sharp'], 'the desktop app ships no native modules'),
        ],
        patterns: [
          layer(
            ['hub', 'renderer', 'preload', 'shell', 'tests'],
            'main/ decides, main/shell/ talks to Electron, and main/shell/ imports main/ (not the reverse)',
          ),
        ],
      }),
    },
  },
  {
    files: ['main/shell/**'],
    rules: {
      'no-restricted-imports': restrict({
        paths: packages(['better-sqlite3', 'sharp'], 'the desktop app ships no native modules'),
        patterns: [
          layer(['hub', 'renderer', 'preload', 'tests'], 'the shell wires main/ to Electron and nothing else'),
        ],
      }),
    },
  },
  {
    files: ['preload/**'],
    rules: {
      'no-restricted-imports': restrict({
        paths: packages(
          nodeBuiltins.concat(['ws', 'better-sqlite3', 'pino', 'electron-store', 'preact']),
          'preload is contextBridge + ipcRenderer only',
        ),
        patterns: [
          layer(['hub', 'main', 'renderer', 'tests'], 'preload imports only electron and the channel names in common/'),
        ],
      }),
    },
  },
);
