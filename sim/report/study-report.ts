/**
 * A study's report (SPEC §7) in Markdown (report.md) and HTML with charts
 * (report.html), from the same document: current configuration and metrics;
 * opportunities found and applied; improvement and cost saving with 95% CIs;
 * reliability and fault-tolerance status; predictive recommendations (load
 * forecast); health of the mesh. Plain data in (a study result, its
 * evaluations), a string out; no I/O.
 */
import type { ReportDoc, Section } from './doc.js';
import { toHtml } from './html.js';
import { toMarkdown } from './markdown.js';
import type { StudyReportData } from './report-data.js';
import { contextOf } from './sections/context.js';
import { currentSection } from './sections/current.js';
import { forecastSection } from './sections/forecast.js';
import { healthSection } from './sections/health.js';
import { improvementSection } from './sections/improvement.js';
import { introBlocks, whySection } from './sections/intro.js';
import { opportunitiesSection } from './sections/opportunities.js';
import { reliabilitySection } from './sections/reliability.js';
import { searchSection } from './sections/search.js';
import { sig } from './units.js';

export type { StudyReportData, ReportResult } from './report-data.js';
export { reportDataOf } from './report-data.js';
export { changeLines, claimSentence } from './format.js';

/** The six sections SPEC §7 asks for, in order (anchors in report.html). */
export const SECTION_IDS = ['current', 'opportunities', 'improvement', 'reliability', 'forecast', 'health'] as const;

export function studyReportDoc(data: StudyReportData): ReportDoc {
  const ctx = contextOf(data);
  const why = whySection(ctx);
  const sections: Section[] = [
    ...(why !== null ? [why] : []),
    currentSection(ctx),
    opportunitiesSection(ctx),
    improvementSection(ctx),
    reliabilitySection(ctx),
    forecastSection(ctx),
    healthSection(ctx),
    searchSection(ctx),
  ];
  const run = data.run
    ? `; ${data.run.queue !== undefined ? `queue workers at ${data.run.queue}` : `${data.run.workers} workers`}, ${sig(data.run.wallMs / 1000)} s wall${data.run.replayed > 0 ? `, ${data.run.replayed} evaluations replayed from an interrupted run` : ''}`
    : '';
  return {
    title: `Study ${data.id}`,
    intro: introBlocks(ctx),
    sections,
    footer: `meshtune ${data.versions.meshtune}, Node ${data.versions.node}${run}.`,
  };
}

/** report.md */
export function renderStudyReport(data: StudyReportData): string {
  return toMarkdown(studyReportDoc(data));
}

/** report.html: one self-contained page, charts inline as SVG. */
export function renderStudyReportHtml(data: StudyReportData): string {
  return toHtml(studyReportDoc(data));
}
