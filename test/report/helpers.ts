import { cpSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportDataOf, type StudyReportData } from '../../sim/report/study-report.js';
import { readStudyFolder } from '../../sim/study/folder.js';
import { tempDir } from '../helpers.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** A finished study of test/fixtures/report/mesh.yaml, with its evidence. */
export const WITH_EVIDENCE = path.join(root, 'test/fixtures/report/study');
/** The same study as written before study.json held evidence. */
export const BEFORE_EVIDENCE = path.join(root, 'test/fixtures/report/study-before-evidence');

export function fixtureData(dir: string): StudyReportData {
  const folder = readStudyFolder(dir);
  return reportDataOf(folder.study, folder.evaluations);
}

/** A copy of a fixture folder in a temporary folder (commands write into study folders). */
export function copyFixture(dir: string): string {
  const dest = path.join(tempDir('report'), path.basename(dir));
  cpSync(dir, dest, { recursive: true });
  return dest;
}

const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'col', 'area', 'base', 'wbr', 'source']);

/**
 * Checks that every tag of an HTML page is closed in order (void and
 * self-closing elements aside); returns the problems found. Text inside
 * <style> has no tags in our pages, so a tag scan is enough.
 */
export function unbalancedTags(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    const [, closing, rawName, , selfClosing] = m;
    const name = rawName!.toLowerCase();
    if (VOID.has(name) || selfClosing === '/') continue;
    if (closing === '/') {
      const top = stack.pop();
      if (top !== name) problems.push(`</${name}> closes <${top ?? 'nothing'}> at ${m.index}`);
    } else stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}
