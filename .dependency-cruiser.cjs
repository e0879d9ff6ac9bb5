/**
 * The dependency directions of ARCHITECTURE.md, checked on every `npm run lint` (and so in CI):
 * a wrong import fails the build. Type-only imports are left out where a rule is about runtime
 * wiring (Deps is a type every layer may name).
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules form no cycle (type-only imports excepted).', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    { name: 'core-is-pure', severity: 'error', comment: 'core holds types and rules with no I/O: it imports nothing else of docsort.', from: { path: '^src/core/' }, to: { path: '^src/', pathNot: '^src/core/' } },
    { name: 'stages-import-only-core', severity: 'error', comment: 'extract, classify and net are stages with no database or HTTP: they import only core (and themselves).', from: { path: '^src/(extract|classify|net)/' }, to: { path: '^src/', pathNot: ['^src/core/', '^src/$1/'] } },
    { name: 'persistence-side-below-the-edges', severity: 'error', comment: 'store, jobs, runs, auth, notify, usage and retention never import the HTTP API, the CLI or the composition root.', from: { path: '^src/(store|jobs|runs|auth|notify|usage|retention)/' }, to: { path: '^src/(api|cli)/|^src/(app|registered-jobs)\\.ts$' } },
    { name: 'store-below-features', severity: 'error', comment: 'store is the bottom of the persistence side.', from: { path: '^src/store/' }, to: { path: '^src/(jobs|runs|auth|notify|usage|retention)/' } },
    { name: 'queue-knows-no-job', severity: 'error', comment: 'jobs/ is the queue machinery; each job lives with its feature and is registered in registered-jobs.ts.', from: { path: '^src/jobs/' }, to: { path: '^src/(runs|notify|usage|auth|retention)/' } },
    { name: 'notify-does-not-know-runs', severity: 'error', comment: 'runs call notify where a run finishes; notify never reaches back.', from: { path: '^src/notify/' }, to: { path: '^src/runs/' } },
    { name: 'client-package-stands-alone', severity: 'error', comment: '@docsort/client (packages/client) is published alone: it imports nothing of the server and no package.', from: { path: '^packages/client/src/' }, to: { path: '^(src|test|eval)/|node_modules', pathNot: 'node_modules/@types/' } },
    { name: 'server-uses-only-the-signature-of-the-client', severity: 'error', comment: 'The server shares one module with the client package: the webhook signature format (notify signs, receivers verify).', from: { path: '^src/', pathNot: '\\.test\\.ts$' }, to: { path: '^packages/client/', pathNot: '^packages/client/src/webhook-signature\\.ts$' } },
    { name: 'no-route-to-route', severity: 'error', comment: 'Route files do not import each other; shared helpers live in api/lookups.ts or runs/.', from: { path: '^src/api/.+\\.route\\.ts$' }, to: { path: '^src/api/.+\\.route\\.ts$' } },
    { name: 'src-not-eval-or-test', severity: 'error', comment: 'The product never imports its evaluation scripts or tests.', from: { path: '^src/', pathNot: '\\.test\\.ts$' }, to: { path: '^(eval|test)/' } },
    { name: 'unit-tests-share-only-test-helpers', severity: 'error', comment: 'A unit test beside the code may use test/helpers/ (helpers only tests need live there, not in src), never eval/ or another test file.', from: { path: '^src/.+\\.test\\.ts$' }, to: { path: '^eval/|^test/(?!helpers/)' } },
    { name: 'only-the-edges-import-app', severity: 'error', comment: 'Only the CLI and the tests start the app.', from: { path: '^src/', pathNot: '^src/(cli/|app\\.ts$|index\\.ts$)' }, to: { path: '^src/app\\.ts$' } },
    { name: 'no-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
