/**
 * MMRec-style configuration files, read as MMRec reads them (protocol.md §10): files in order
 * (overall, dataset, model), later values replacing earlier ones, `hyper_parameters` lists
 * concatenated. Each key is a training option, a hyper-parameter of the chosen model, the seed(s),
 * or a key MMRec knows that this model does not use (listed once as ignored); anything else is an
 * error naming the closest valid key. A list where a single value belongs is a grid axis
 * (lib/config/grid.ts); `seed: [..]` is the list of seeds.
 * JSON files are read the same way (camelCase training keys are accepted too).
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { MmgError } from '../errors';
import type { TrainOptions } from '../train/trainer';
import { modelFactory, modelNames, type ModelFactory } from '../models/model';
import { didYouMean } from './suggest';

type TrainKey = keyof TrainOptions;

/** Training options by MMRec name (and mmgraph's camelCase name); `list` marks options whose value is itself a list. */
const TRAIN_KEYS = new Map<string, { key: TrainKey; list?: boolean; noGrid?: boolean }>([
  ['epochs', { key: 'epochs' }],
  ['train_batch_size', { key: 'batchSize' }],
  ['batchSize', { key: 'batchSize' }],
  ['learning_rate', { key: 'lr' }],
  ['lr', { key: 'lr' }],
  ['learning_rate_scheduler', { key: 'lrScheduler', list: true }],
  ['lrScheduler', { key: 'lrScheduler', list: true }],
  ['weight_decay', { key: 'weightDecay' }],
  ['weightDecay', { key: 'weightDecay' }],
  ['stopping_step', { key: 'stoppingStep' }],
  ['stoppingStep', { key: 'stoppingStep' }],
  // Selection compares combinations on one metric and one set of cutoffs, so these are never grids.
  ['valid_metric', { key: 'validMetric', noGrid: true }],
  ['validMetric', { key: 'validMetric', noGrid: true }],
  ['topk', { key: 'topk', list: true, noGrid: true }],
  ['eval_step', { key: 'evalStep' }],
  ['evalStep', { key: 'evalStep' }],
  ['eval_batch_size', { key: 'evalBatchSize', noGrid: true }],
  ['evalBatchSize', { key: 'evalBatchSize', noGrid: true }],
]);

/**
 * Keys of MMRec's overall.yaml and dataset yamls, and hyper-parameters of MMRec models, that
 * mmgraph does not use: data layout (mmgraph reads the folder itself), devices (--device), logging,
 * end-to-end text/image encoders, and other models' knobs (e.g. SMORE.yaml's lambda_coeff and
 * temperature, which SMORE itself never reads). A key that is a hyper-parameter of another mmgraph
 * model is ignored the same way (knn_k in a SMORE run).
 */
export const MMREC_IGNORED_KEYS: ReadonlySet<string> = new Set([
  // overall.yaml
  'gpu_id', 'use_gpu', 'data_path', 'inter_splitting_label', 'filter_out_cod_start_users', 'is_multimodal_model', 'checkpoint_dir',
  'save_recommended_topk', 'recommend_topk', 'req_training', 'training_neg_sample_num', 'use_neg_sampling', 'use_full_sampling',
  'NEG_PREFIX', 'USER_ID_FIELD', 'ITEM_ID_FIELD', 'TIME_FIELD', 'RATING_FIELD', 'field_separator', 'metrics', 'use_raw_features',
  'max_txt_len', 'max_img_size', 'vocab_size', 'type_vocab_size', 'hidden_size', 'pad_token_id', 'max_position_embeddings',
  'layer_norm_eps', 'hidden_dropout_prob', 'end2end', 'learner', 'clip_grad_norm', 'valid_metric_bigger',
  // dataset yamls
  'inter_file_name', 'vision_feature_file', 'text_feature_file', 'user_graph_dict_file',
  // model yamls (MMRec's models; what SMORE/GUME/MGCN files carry but do not read)
  'lambda_coeff', 'temperature', 'feat_embed_dim', 'weight_size', 'n_mm_layers', 'mm_image_weight', 'dropout', 'knn_k', 'n_layers',
  'n_ui_layers', 'reg_weight', 'cl_loss', 'cl_weight', 'dropout_rate', 'image_knn_k', 'text_knn_k', 'mg',
]);

/**
 * Ignored keys whose value changes what MMRec computes: accepted only at the value mmgraph implements.
 * learner: mmgraph trains with Adam; clip_grad_norm: MMRec's default (unset) is no clipping.
 */
const IGNORED_ONLY_AT: Readonly<Record<string, { ok: (v: unknown) => boolean; why: string }>> = {
  learner: { ok: (v) => typeof v === 'string' && v.toLowerCase() === 'adam', why: 'mmgraph trains with Adam only' },
  clip_grad_norm: { ok: (v) => v === null || v === undefined, why: 'mmgraph does not clip gradients (MMRec leaves clip_grad_norm unset)' },
};

/** One dimension of a grid: a key and the values it takes, in file order. */
export interface GridAxis {
  /** The key as the file names it. */
  name: string;
  target: 'model' | 'train';
  /** Model hyper-parameter name or TrainOptions key. */
  key: string;
  values: unknown[];
}

export interface RunConfig {
  files: string[];
  /** Fixed model hyper-parameters. */
  model: Record<string, unknown>;
  /** Fixed training options. */
  train: Partial<TrainOptions>;
  /** Grid axes: hyper_parameters order first (MMRec's outer-to-inner loop), then other list values in file order. */
  axes: GridAxis[];
  /** `seed` from the files (a list in MMRec's overall.yaml), or null when none is given. */
  seeds: number[] | null;
  /** Keys read and not used, each once, with the file that set them last. */
  ignored: Array<{ key: string; file: string }>;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function parseFile(file: string): Array<[string, unknown]> {
  let raw: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    throw new MmgError(`${file}: cannot read config (${(e as Error).message.split('\n')[0]})`, 'MMG_E_ARG');
  }
  if (raw === null || raw === undefined) return []; // an empty (or all-comment) yaml file
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new MmgError(`${file}: expected a mapping of keys to values`, 'MMG_E_ARG');
  return Object.keys(raw).map((k) => [k, (raw as Record<string, unknown>)[k]]);
}

/** Reads config files (comma-separated on the command line) in order for `factory`'s model. */
export function readRunConfig(files: string[], factory: ModelFactory): RunConfig {
  return buildRunConfig(files.map((f) => ({ file: f, entries: parseFile(f) })), factory);
}

/** The same from already-parsed files (entries in file order); exported for tests and the API. */
export function buildRunConfig(sources: Array<{ file: string; entries: Array<[string, unknown]> }>, factory: ModelFactory): RunConfig {
  // Maps, not objects: keys such as __proto__ or constructor must stay plain (unknown) names.
  const merged = new Map<string, { value: unknown; file: string }>();
  const hyper: string[] = [];
  for (const { file, entries } of sources) {
    for (const [k, v] of entries) {
      if (k === 'hyper_parameters') {
        const list = Array.isArray(v) ? v : [v];
        for (const h of list) {
          if (typeof h !== 'string') throw new MmgError(`${file}: expected hyper_parameters to be a list of key names, got ${JSON.stringify(v)}`, 'MMG_E_ARG');
          if (!hyper.includes(h)) hyper.push(h);
        }
        continue;
      }
      merged.delete(k); // keep "last set" order stable: a key re-set later moves to the later file's position
      merged.set(k, { value: v, file });
    }
  }
  const label = (file: string) => path.basename(file);
  const modelKeys = new Set(Object.keys(factory.schema ?? factory.defaults));
  const otherModelKeys = new Set(modelNames().flatMap((n) => (n === factory.name ? [] : Object.keys(modelFactoryKeys(n)))));
  const valid = [...modelKeys, ...TRAIN_KEYS.keys(), 'seed', 'hyper_parameters'];

  const out: RunConfig = { files: sources.map((s) => s.file), model: {}, train: {}, axes: [], seeds: null, ignored: [] };
  const axisOf = new Map<string, GridAxis>();
  for (const [k, { value: v, file }] of merged) {
    if (k === 'model') {
      if (typeof v !== 'string') throw new MmgError(`${label(file)}: expected model to be a model name, got ${JSON.stringify(v)}`, 'MMG_E_ARG');
      if (modelNames().includes(v.toLowerCase()) && v.toLowerCase() !== factory.name)
        throw new MmgError(`${label(file)}: the file is for model '${v}', but --model is '${factory.name}'`, 'MMG_E_ARG');
      continue;
    }
    if (k === 'seed') {
      const list = Array.isArray(v) ? v : [v];
      if (!list.length || list.some((s) => !Number.isInteger(s)))
        throw new MmgError(`${label(file)}: expected seed to be an integer or a list of integers, got ${JSON.stringify(v)}`, 'MMG_E_ARG');
      out.seeds = list as number[];
      continue;
    }
    const t = TRAIN_KEYS.get(k);
    if (t) {
      const value = t.key === 'validMetric' && typeof v === 'string' ? v.toLowerCase() : v;
      const isGrid = Array.isArray(value) && (t.list ? value.length > 0 && value.every(Array.isArray) : true);
      if (isGrid && t.noGrid) throw new MmgError(`${label(file)}: ${k} cannot take several values (every combination is compared on one metric), got ${JSON.stringify(v)}`, 'MMG_E_ARG');
      if (isGrid) axisOf.set(k, { name: k, target: 'train', key: t.key, values: value as unknown[] });
      else (out.train as Record<string, unknown>)[t.key] = value;
      continue;
    }
    if (modelKeys.has(k)) {
      if (Array.isArray(v)) axisOf.set(k, { name: k, target: 'model', key: k, values: v });
      else Object.defineProperty(out.model, k, { value: v, enumerable: true, writable: true, configurable: true });
      continue;
    }
    if (MMREC_IGNORED_KEYS.has(k) || otherModelKeys.has(k)) {
      const rule = own(IGNORED_ONLY_AT, k) ? IGNORED_ONLY_AT[k] : null;
      if (rule && !rule.ok(v)) throw new MmgError(`${label(file)}: ${k} ${JSON.stringify(v)} is not supported: ${rule.why}`, 'MMG_E_ARG');
      out.ignored.push({ key: k, file });
      continue;
    }
    throw new MmgError(`${label(file)}: unknown key '${k}' for ${factory.name}${didYouMean(k, valid)}; valid keys: ${[...modelKeys].join(', ')} and the training keys ${[...TRAIN_KEYS.keys()].filter((x) => x.includes('_') || x === 'epochs' || x === 'topk').join(', ')}, seed, hyper_parameters`, 'MMG_E_ARG');
  }
  for (const a of axisOf.values()) if (!a.values.length) throw new MmgError(`${a.name}: expected at least one value, got []`, 'MMG_E_ARG');
  // Grid order: hyper_parameters first, in its order (MMRec's itertools.product: first = outermost).
  for (const h of hyper) {
    if (h === 'seed') continue;
    if (!merged.has(h)) throw new MmgError(`hyper_parameters names '${h}', which no config file sets${didYouMean(h, [...merged.keys()])}`, 'MMG_E_ARG');
    const a = axisOf.get(h);
    if (a) {
      out.axes.push(a);
      axisOf.delete(h);
    }
    // A named key that is ignored, or holds one value, adds no dimension.
  }
  out.axes.push(...axisOf.values());
  return out;
}

function modelFactoryKeys(name: string): Readonly<Record<string, unknown>> {
  const f = modelFactory(name);
  return f.schema ?? f.defaults;
}

/** The ignored keys, one line (empty when none). */
export function describeIgnored(cfg: RunConfig, modelName: string): string {
  if (!cfg.ignored.length) return '';
  return `config: ignoring MMRec keys ${modelName} does not use: ${cfg.ignored.map((i) => i.key).join(', ')}`;
}
