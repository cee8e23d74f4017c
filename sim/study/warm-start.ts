/**
 * Warm start for `auto`: the configurations that earlier finished studies of
 * the same scenario recommended adopting, read from their folders. The
 * scenario must be the same to the byte (its hash), or the advice does not
 * apply. Newest first, distinct, at most `limit`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshConfig } from '../scenario/types.js';
import { configKey } from './config-paths.js';

/** Earlier studies a new one warm-starts from, at most. */
export const WARM_START_LIMIT = 5;

interface StudyFile {
  id?: string;
  createdAt?: string;
  scenario?: { hash?: string };
  recommendation?: { action?: string; config?: MeshConfig };
}

export function pastRecommendations(
  resultsDir: string,
  scenarioHash: string,
  limit = WARM_START_LIMIT,
): Array<{ study: string; config: MeshConfig }> {
  if (!existsSync(resultsDir)) return [];
  const found: Array<{ study: string; createdAt: string; config: MeshConfig }> = [];
  for (const entry of readdirSync(resultsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = path.join(resultsDir, entry.name, 'study.json');
    if (!existsSync(file)) continue;
    let study: StudyFile;
    try {
      study = JSON.parse(readFileSync(file, 'utf8')) as StudyFile;
    } catch {
      continue; // a study still being written, or not ours
    }
    const rec = study.recommendation;
    if (study.scenario?.hash !== scenarioHash || rec?.action !== 'adopt' || rec.config === undefined) continue;
    found.push({ study: study.id ?? entry.name, createdAt: study.createdAt ?? '', config: rec.config });
  }
  found.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.study.localeCompare(b.study));
  const seen = new Set<string>();
  const out: Array<{ study: string; config: MeshConfig }> = [];
  for (const f of found) {
    const key = configKey(f.config);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ study: f.study, config: f.config });
    if (out.length === limit) break;
  }
  return out;
}
