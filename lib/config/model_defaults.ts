/**
 * The layers under a user's settings: mmgraph's training defaults (MMRec's overall.yaml), then the
 * model's official training values (its yaml), then per-dataset values from the model's schema
 * (`--dataset-defaults NAME`, or an MMRec folder named baby/sports/clothing/elec).
 */
import * as path from 'path';
import { MmgError } from '../errors';
import { KNOWN_DATASETS, type DatasetName } from '../nn/schema';
import type { ModelFactory } from '../models/model';
import type { TrainOptions } from '../train/trainer';

/** The model's official training values (ModelFactory.trainDefaults; none for LightGCN and BPR-MF, which keep overall.yaml's). */
export function modelTrainDefaults(factory: ModelFactory): Partial<TrainOptions> {
  return { ...(factory.trainDefaults ?? {}) };
}

export function isDatasetName(s: string): s is DatasetName {
  return (KNOWN_DATASETS as readonly string[]).includes(s);
}

/** `--dataset-defaults` value: a known dataset, or 'none' (null). */
export function parseDatasetDefaults(s: string): DatasetName | null {
  const v = s.trim().toLowerCase();
  if (v === 'none') return null;
  if (!isDatasetName(v)) throw new MmgError(`--dataset-defaults: expected one of ${KNOWN_DATASETS.join(', ')} or none, got '${s}'`, 'MMG_E_ARG');
  return v;
}

/** The dataset an MMRec folder is, by its name (data/sports → sports); null for anything else. */
export function inferDatasetName(data: string): DatasetName | null {
  if (data.startsWith('synthetic:')) return null;
  const base = path.basename(path.resolve(data)).toLowerCase();
  return isDatasetName(base) ? base : null;
}

/** The schema's per-dataset values of a model (empty without a schema or without values for that dataset). */
export function datasetValues(factory: ModelFactory, dataset: DatasetName | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!dataset || !factory.schema) return out;
  for (const [k, s] of Object.entries(factory.schema)) if (s.datasets?.[dataset] !== undefined) out[k] = s.datasets[dataset];
  return out;
}

/** Model config with the dataset's values under the given ones (the same values resolveSchema(…, dataset) applies). */
export function withDatasetValues(factory: ModelFactory, dataset: DatasetName | null | undefined, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...datasetValues(factory, dataset) };
  for (const k of Object.keys(given)) Object.defineProperty(out, k, { value: given[k], enumerable: true, writable: true, configurable: true });
  return out;
}

/** One line for the start of a run: which dataset values apply, and which the config overrides. */
export function describeDatasetDefaults(factory: ModelFactory, dataset: DatasetName | null, how: string, given: Iterable<string>): string {
  if (!dataset) return '';
  const vals = datasetValues(factory, dataset);
  const keys = Object.keys(vals);
  if (!keys.length) return `dataset defaults: ${dataset} (${how}); ${factory.name} has no per-dataset values for it, its defaults apply`;
  const set = new Set(given);
  const applied = keys.filter((k) => !set.has(k)).map((k) => `${k} ${JSON.stringify(vals[k])}`);
  const overridden = keys.filter((k) => set.has(k));
  return `dataset defaults: ${dataset} (${how}): ${applied.join(', ') || '(none)'}${overridden.length ? `; set by the config instead: ${overridden.join(', ')}` : ''}`;
}
