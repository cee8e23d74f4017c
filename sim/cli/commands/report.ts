import path from 'node:path';
import { renderStudyReport, renderStudyReportHtml, reportDataOf } from '../../report/study-report.js';
import { readStudyFolder } from '../../study/folder.js';
import { StudyFolderError, writeReports, type StudyReports } from '../../study/persist.js';
import { UsageError } from '../errors.js';
import { stringOption } from '../options.js';
import { note, print } from '../output.js';

export interface ReportFlags {
  format?: unknown;
}

/** Both reports of a finished study folder (study.json + evaluations.jsonl); no simulation. */
export function renderFolder(dir: string): StudyReports {
  let folder;
  try {
    folder = readStudyFolder(dir);
  } catch (err) {
    if (err instanceof StudyFolderError) throw new UsageError(err.message);
    throw err;
  }
  const data = reportDataOf(folder.study, folder.evaluations);
  return { markdown: renderStudyReport(data), html: renderStudyReportHtml(data) };
}

/**
 * `meshtune report <study-dir> [--format md|html]`: re-renders report.md and
 * report.html from a study folder and prints one of them (Markdown by default).
 */
export function reportCommand(dirArg: string | undefined, flags: ReportFlags): void {
  if (dirArg === undefined) throw new UsageError('usage: meshtune report <study-dir> [--format md|html]');
  const format = stringOption(flags.format, '--format') ?? 'md';
  if (format !== 'md' && format !== 'html') throw new UsageError(`--format: expected md or html, got '${format}'`);
  const dir = path.resolve(dirArg);
  const reports = renderFolder(dir);
  try {
    writeReports(dir, reports);
  } catch (err) {
    // A read-only folder (an archived study) still gets its report on stdout.
    note(`meshtune: could not write the reports into ${dirArg} (${(err as Error).message}); printing only`);
  }
  print(format === 'html' ? reports.html : reports.markdown);
}
