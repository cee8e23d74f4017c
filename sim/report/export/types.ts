/** A mesh configuration rendered for a real mesh, with what could not be carried over. */
export interface ExportResult {
  /** The documents to apply, in order (YAML-ready plain objects). */
  documents: Array<Record<string, unknown>>;
  /** Knobs the target cannot express, or expresses differently, one sentence each. */
  notes: string[];
}

/** Names used in the rendered resources. */
export interface ExportTarget {
  /** The upstream service / cluster the settings apply to. */
  service: string;
  namespace: string;
}
