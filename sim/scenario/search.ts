/**
 * The scenario's `search` block: which knobs a study searches and over what
 * range. Bounds take the knob's own units (`timeout.perTry: {min: 50ms, max: 2s}`)
 * and choice values are checked as values of the knob.
 */
import { z } from 'zod';
import type { KnobRange, SearchSpec } from './types.js';
import { strict } from './fields.js';
import { unknownName } from './errors.js';
import { KNOB_PATHS, KNOBS } from './config.js';
import type { KnobPath } from './config.js';

function rangeOf(path: KnobPath) {
  const knob = KNOBS[path];
  const bound = knob.bound ?? z.unknown();
  return strict(
    {
      min: bound.optional(),
      max: bound.optional(),
      log: z.boolean().optional(),
      int: z.boolean().optional(),
      values: z.array(knob.schema).min(1).optional(),
    },
    'range key',
  )
    .superRefine((r, ctx) => {
      const issue = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
      if (r.values !== undefined) {
        for (const key of ['min', 'max', 'log', 'int'] as const) {
          if (r[key] !== undefined) issue(key, 'give either values: [...] or min and max, not both');
        }
        return;
      }
      if (knob.bound === null) {
        const where = r.min !== undefined ? 'min' : r.max !== undefined ? 'max' : 'values';
        issue(where, `${path} is a choice, not a range; expected values: [...]`);
        return;
      }
      const { min, max } = r as { min?: number; max?: number };
      if (min === undefined) return issue('min', 'required; expected min and max, or values: [...]');
      if (max === undefined) return issue('max', 'required; expected min and max, or values: [...]');
      if (min > max) issue('max', `expected max >= min (${min}), got ${max}`);
      if (r.log === true && min <= 0) issue('min', `a log range needs min > 0, got ${min}`);
      if (r.int === false && knob.kind === 'int') issue('int', `${path} takes whole numbers`);
      if (r.int === true && !(Number.isInteger(min) && Number.isInteger(max))) {
        issue('min', `int: true needs whole-number bounds, got ${min}..${max}`);
      }
    })
    .transform((r): KnobRange => {
      if (r.values !== undefined) return { kind: 'choice', values: r.values };
      const min = r.min as number;
      const max = r.max as number;
      const isInt = r.int ?? knob.kind === 'int';
      return { kind: isInt ? 'int' : 'float', min, max, log: r.log ?? false };
    });
}

const knobShape = Object.fromEntries(KNOB_PATHS.map((p) => [p, rangeOf(p).optional()])) as Record<
  KnobPath,
  z.ZodOptional<ReturnType<typeof rangeOf>>
>;

/** A role's resources, searched within its `scale` bounds (whether the role has them is the study's check). */
export const RESOURCE_PATH = /^resources\.[A-Za-z][\w.-]*\.(count|workers)$/;

/** A setting of the graph, searched within `topology.search` (whether it has a range is the study's check). */
export const TOPOLOGY_PATH = /^topology\.(fanout|degree|m|shape)$/;

/** The class weights and their switch, searched when the workload has classes (the study checks which). */
export const WEIGHT_PATH = /^priority\.weights(\.[A-Za-z][\w-]*)?$/;

/** A setting of a role's autoscaler, searched when the configuration autoscales the role (the study checks which). */
export const AUTOSCALE_PATH = /^autoscale\.[A-Za-z][\w-]*\.(target|min|max|downWindow)$/;

const knobName = z.string().superRefine((name, ctx) => {
  if ((KNOB_PATHS as readonly string[]).includes(name) || [RESOURCE_PATH, TOPOLOGY_PATH, WEIGHT_PATH, AUTOSCALE_PATH].some((p) => p.test(name))) return;
  const known = [
    ...KNOB_PATHS,
    'resources.<role>.count',
    'resources.<role>.workers',
    'topology.fanout',
    'topology.degree',
    'topology.m',
    'topology.shape',
    'priority.weights',
    'priority.weights.<class>',
    'autoscale.<role>.target',
    'autoscale.<role>.min',
    'autoscale.<role>.max',
    'autoscale.<role>.downWindow',
  ];
  ctx.addIssue({ code: 'custom', message: unknownName('knob', name, 'knobs', known) });
});

const knobList = () => z.array(knobName).default(() => []);

/** The `search` block; every part optional. */
export const searchSchema = strict({
  knobs: strict(knobShape, 'knob', 'knobs')
    .default(() => ({}))
    .transform((knobs): Record<string, KnobRange> => {
      const out: Record<string, KnobRange> = {};
      for (const [path, range] of Object.entries(knobs)) if (range !== undefined) out[path] = range;
      return out;
    }),
  exclude: knobList(),
  only: knobList(),
}).default(() => ({ knobs: {}, exclude: [], only: [] })) satisfies z.ZodType<SearchSpec, unknown>;
