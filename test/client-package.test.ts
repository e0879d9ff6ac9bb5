/**
 * `@docsort/client` (packages/client) is built and published alone: its own tsconfig compiles it,
 * the packed files import nothing but Node built-ins and each other, its package.json names no
 * dependency, and a copy installed outside the repository imports and verifies a signature.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { signWebhookPayload } from '../packages/client/src/webhook-signature.js';
import { repoRoot } from './helpers/repo-paths.js';

const PACKAGE_DIR = path.join(repoRoot, 'packages/client');
const TSC = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

describe('the @docsort/client package', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'docsort-client-package-'));
  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  it('has no dependencies and builds with its own tsconfig', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.name, '@docsort/client');
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.peerDependencies, undefined);
    const installed = path.join(outside, 'node_modules/@docsort/client');
    fs.mkdirSync(installed, { recursive: true });
    execFileSync(process.execPath, [TSC, '-p', path.join(PACKAGE_DIR, 'tsconfig.json'), '--outDir', path.join(installed, 'dist')], {
      stdio: 'pipe',
    });
    fs.copyFileSync(path.join(PACKAGE_DIR, 'package.json'), path.join(installed, 'package.json'));
    const built = fs.readdirSync(path.join(installed, 'dist'));
    assert.ok(built.includes('index.js') && built.includes('index.d.ts'), built.join(', '));
    assert.ok(!built.some((name) => name.includes('.test.')), 'tests are not packed');
    for (const name of built.filter((file) => file.endsWith('.js') || file.endsWith('.d.ts'))) {
      const text = fs.readFileSync(path.join(installed, 'dist', name), 'utf8');
      for (const [, specifier] of text.matchAll(/\bfrom '([^']+)'/g))
        assert.ok(specifier.startsWith('./') || specifier.startsWith('node:'), `${name} imports only itself and Node: ${specifier}`);
    }
  });

  it('imports outside the repository and verifies a signature the server made', () => {
    const script = [
      "import { DocsortClient, verifyWebhookSignature } from '@docsort/client';",
      "const client = new DocsortClient({ baseUrl: 'http://127.0.0.1:9' });",
      'const [payload, header] = JSON.parse(process.argv[1]);',
      "console.log(typeof client.runs.create, verifyWebhookSignature({ payload, header, secret: 'a-secret-of-16-chars' }));",
    ].join('\n');
    const payload = JSON.stringify({ id: 'evt_1', type: 'classify_run.processed' });
    const header = signWebhookPayload('a-secret-of-16-chars', payload);
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([payload, header])], {
      cwd: outside,
      encoding: 'utf8',
    });
    assert.equal(output.trim(), 'function true');
  });
});
