/**
 * Rows of several document manifests as one list, each knowing the manifest (wave) it came from,
 * for the evaluation's fits and checks that pool the waves. Bundle manifests are refused: their
 * rows are bundles, not documents.
 */
import path from 'node:path';
import { readManifest, type ManifestRow } from '../src/evaluate/read-manifest.js';

export type PooledRow = ManifestRow & { manifest: string };

export async function readDocumentManifests(manifestPaths: string[], purpose: string): Promise<PooledRow[]> {
  const rows: PooledRow[] = [];
  for (const manifestPath of manifestPaths) {
    const manifest = await readManifest(manifestPath);
    if (manifest.kind === 'bundles') throw new Error(`${manifestPath} is a bundle manifest; ${purpose} takes document manifests.`);
    rows.push(...manifest.rows.map((row) => ({ ...row, manifest: path.basename(manifestPath, '.csv') })));
  }
  return rows;
}
