/**
 * Deterministic synthetic multimodal datasets (seeded; the same options give the same bytes).
 *
 * Generative story:
 *  - Items belong to clusters of uneven size; an item's latent factor is its cluster centre plus noise.
 *    Popularity is a power law over a random permutation of items (pop ∝ rank^−α).
 *  - Each user prefers 1–3 clusters with random weights and has a taste vector (weighted centres + noise).
 *    Activity is heavy-tailed (Lomax), at least `minPerUser`, at most `maxPerUser`.
 *  - A user's interactions are drawn without replacement: with probability 1 − ε from a preferred cluster
 *    (cluster by weight, then item ∝ pop · exp(β·cos-like affinity)), else from global popularity.
 *    Items left without any interaction are given to a user who prefers their cluster.
 *  - Image features: ReLU of a random projection of [item factor, nuisance factor] plus noise (non-negative,
 *    like CNN activations). Text features: the same with another projection, unit-normalised rows.
 *    The nuisance factors are unrelated to preference, so feature neighbours are informative but not
 *    perfect; images carry more nuisance than text.
 *  - Split: MMRec's per-user random rule (split.ts), with the same seed.
 */
import { MmgError } from '../errors';
import { assembleDataset, type Dataset, type FeatureMatrix } from './dataset';
import { Prng } from './prng';
import { applySplit, splitLabels } from './split';

export interface SyntheticOptions {
  name: string;
  seed: number;
  nUsers: number;
  nItems: number;
  nClusters: number;
  latentDim: number;
  /** Mean interactions per user before the fill-in of unseen items. */
  meanPerUser: number;
  minPerUser: number;
  maxPerUser: number;
  /** Power-law exponent of item popularity. */
  popularityExponent: number;
  /** Lomax shape of user activity (smaller = heavier tail; > 1). */
  activityShape: number;
  /** Share of interactions drawn from global popularity instead of preferred clusters. */
  exploration: number;
  /** Strength of the within-cluster taste affinity. */
  affinity: number;
  /** Spread of item factors around their cluster centre. */
  itemNoise: number;
  imageDim: number;
  textDim: number;
  /** Weight of the nuisance factor and of per-dimension noise in each modality. */
  imageNuisance: number;
  imageNoise: number;
  textNuisance: number;
  textNoise: number;
}

const BASE = {
  seed: 2024,
  minPerUser: 5,
  popularityExponent: 0.9,
  activityShape: 2.2,
  exploration: 0.15,
  affinity: 2.0,
  itemNoise: 0.6,
  imageNuisance: 1.0,
  imageNoise: 0.8,
  textNuisance: 0.5,
  textNoise: 0.5,
};

export const SYNTHETIC_PRESETS = {
  tiny: { ...BASE, name: 'tiny', nUsers: 60, nItems: 40, nClusters: 4, latentDim: 8, meanPerUser: 8, maxPerUser: 20, imageDim: 32, textDim: 16 },
  small: { ...BASE, name: 'small', nUsers: 1500, nItems: 800, nClusters: 12, latentDim: 16, meanPerUser: 12, maxPerUser: 150, imageDim: 256, textDim: 64 },
  baby: { ...BASE, name: 'baby', nUsers: 19445, nItems: 7050, nClusters: 40, latentDim: 24, meanPerUser: 8.8, maxPerUser: 250, imageDim: 4096, textDim: 384 },
} satisfies Record<string, SyntheticOptions>;

export type SyntheticPreset = keyof typeof SYNTHETIC_PRESETS;

export function syntheticDataset(preset: SyntheticPreset | SyntheticOptions, overrides: Partial<SyntheticOptions> = {}): Dataset {
  const base = typeof preset === 'string' ? SYNTHETIC_PRESETS[preset] : preset;
  if (!base) throw new MmgError(`synthetic: expected a preset (${Object.keys(SYNTHETIC_PRESETS).join(', ')}) or options, got '${String(preset)}'`, 'MMG_E_ARG');
  const o: SyntheticOptions = { ...base, ...overrides };
  validate(o);
  const d = o.latentDim;
  const rItems = new Prng(o.seed, 'synthetic.items');
  const rUsers = new Prng(o.seed, 'synthetic.users');
  const rInter = new Prng(o.seed, 'synthetic.interactions');
  const rFeat = new Prng(o.seed, 'synthetic.features');

  // Clusters and items.
  const centres = new Float64Array(o.nClusters * d);
  rItems.fillNormal(centres);
  const clusterWeight = Array.from({ length: o.nClusters }, () => Math.exp(0.6 * rItems.normal()));
  const clusterCdf = cumulative(clusterWeight);
  const clusterOf = new Int32Array(o.nItems);
  // Every cluster gets at least one item, the rest by weight.
  for (let i = 0; i < o.nItems; i++) clusterOf[i] = i < o.nClusters ? i : pick(clusterCdf, rItems.uniform());
  rItems.shuffle(clusterOf);
  const factors = new Float64Array(o.nItems * d);
  rItems.fillNormal(factors, o.itemNoise);
  for (let i = 0; i < o.nItems; i++) for (let j = 0; j < d; j++) factors[i * d + j] += centres[clusterOf[i] * d + j];
  const rank = Int32Array.from({ length: o.nItems }, (_, i) => i);
  rItems.shuffle(rank);
  const pop = Float64Array.from(rank, (r) => Math.pow(r + 1, -o.popularityExponent));
  const popCdf = cumulative(pop);
  const members: number[][] = Array.from({ length: o.nClusters }, () => []);
  for (let i = 0; i < o.nItems; i++) members[clusterOf[i]].push(i);

  // Users: preferred clusters, taste, activity; then their interactions.
  const rows: number[][] = [];
  const prefers: number[][] = Array.from({ length: o.nClusters }, () => []);
  const taste = new Float64Array(d);
  const scale = o.affinity / Math.sqrt(d);
  for (let u = 0; u < o.nUsers; u++) {
    const m = 1 + rUsers.int(Math.min(3, o.nClusters));
    const pref: number[] = [];
    while (pref.length < m) {
      const k = pick(clusterCdf, rUsers.uniform());
      if (!pref.includes(k)) pref.push(k);
    }
    const w = pref.map(() => Math.exp(0.5 * rUsers.normal()));
    for (const k of pref) prefers[k].push(u);
    rUsers.fillNormal(taste, 0.5);
    const wsum = w.reduce((a, b) => a + b, 0);
    pref.forEach((k, j) => {
      for (let t = 0; t < d; t++) taste[t] += (w[j] / wsum) * centres[k * d + t];
    });
    const extra = (o.meanPerUser - o.minPerUser) * (o.activityShape - 1) * (Math.pow(1 - rUsers.uniform(), -1 / o.activityShape) - 1);
    const reachable = pref.reduce((a, k) => a + members[k].length, 0);
    const n = Math.min(o.minPerUser + Math.floor(extra), o.maxPerUser, Math.max(o.minPerUser, Math.floor(0.8 * reachable) + 1));
    // Within-cluster item distributions for this user.
    const cdfs = pref.map((k) =>
      cumulative(members[k].map((i) => {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += taste[t] * factors[i * d + t];
        return pop[i] * Math.exp(Math.max(-30, Math.min(30, scale * dot)));
      })),
    );
    const prefCdf = cumulative(w);
    const chosen = new Set<number>();
    const list: number[] = [];
    for (let tries = 0; list.length < n && tries < 100 * n; tries++) {
      let item: number;
      if (rInter.uniform() < o.exploration) item = pick(popCdf, rInter.uniform());
      else {
        const j = pick(prefCdf, rInter.uniform());
        item = members[pref[j]][pick(cdfs[j], rInter.uniform())];
      }
      if (!chosen.has(item)) {
        chosen.add(item);
        list.push(item);
      }
    }
    // Rejection failed (a tiny cluster set): top up from global popularity order, deterministic.
    for (let i = 0; list.length < n && i < o.nItems; i++) if (!chosen.has(i)) (chosen.add(i), list.push(i));
    rows.push(list);
  }
  // Every item at least once: give it to a user who prefers its cluster.
  const count = new Int32Array(o.nItems);
  for (const r of rows) for (const i of r) count[i]++;
  for (let i = 0; i < o.nItems; i++) {
    if (count[i] > 0) continue;
    const cand = prefers[clusterOf[i]];
    const u = cand.length ? cand[rInter.int(cand.length)] : rInter.int(o.nUsers);
    rows[u].push(i);
    count[i]++;
  }

  let total = 0;
  for (const r of rows) total += r.length;
  const users = new Int32Array(total);
  const items = new Int32Array(total);
  let w = 0;
  rows.forEach((r, u) => {
    for (const i of r) {
      users[w] = u;
      items[w++] = i;
    }
  });
  const all = { users, items };
  const [train, valid, test] = applySplit(all, splitLabels(o.nUsers, all, { mode: 'random', seed: o.seed }));

  const features = new Map<string, FeatureMatrix>();
  features.set('image', project(rFeat, factors, o.nItems, d, o.imageDim, o.imageNuisance, o.imageNoise, 'relu'));
  features.set('text', project(rFeat, factors, o.nItems, d, o.textDim, o.textNuisance, o.textNoise, 'unit'));
  return assembleDataset({ name: o.name, source: `synthetic:${o.name}`, nUsers: o.nUsers, nItems: o.nItems, train, valid, test, features });
}

/** Rows = P·[factor; nuisance] + noise, then ReLU (image-like) or L2 row normalisation (text-like). */
function project(
  rng: Prng,
  factors: Float64Array,
  nItems: number,
  d: number,
  dim: number,
  nuisance: number,
  noise: number,
  kind: 'relu' | 'unit',
): FeatureMatrix {
  const dn = Math.max(1, d >> 1); // nuisance factor size
  const k = d + dn;
  const proj = new Float32Array(dim * k);
  rng.fillNormal(proj, 1 / Math.sqrt(k));
  const bias = kind === 'relu' ? 0.3 : 0;
  const latent = new Float64Array(k);
  const nz = new Float64Array(dn);
  const out = new Float32Array(nItems * dim);
  const row = new Float32Array(dim);
  for (let i = 0; i < nItems; i++) {
    for (let t = 0; t < d; t++) latent[t] = factors[i * d + t];
    rng.fillNormal(nz, nuisance);
    for (let t = 0; t < dn; t++) latent[d + t] = nz[t];
    rng.fillNormal(row, noise);
    let ss = 0;
    for (let c = 0; c < dim; c++) {
      let v = row[c] + bias;
      const p = c * k;
      for (let t = 0; t < k; t++) v += proj[p + t] * latent[t];
      if (kind === 'relu' && v < 0) v = 0;
      row[c] = v;
      ss += v * v;
    }
    const s = kind === 'unit' ? 1 / Math.sqrt(ss || 1) : 1;
    for (let c = 0; c < dim; c++) out[i * dim + c] = row[c] * s;
  }
  return { data: out, dim };
}

function cumulative(w: ArrayLike<number>): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) c[i] = s += w[i];
  return c;
}

/** Index drawn from a cumulative weight table with u ∈ [0, 1). */
function pick(cdf: Float64Array, u: number): number {
  const x = u * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function validate(o: SyntheticOptions): void {
  const bad = (what: string, got: unknown) => {
    throw new MmgError(`synthetic: expected ${what}, got ${String(got)}`, 'MMG_E_ARG');
  };
  for (const key of ['nUsers', 'nItems', 'nClusters', 'latentDim', 'imageDim', 'textDim', 'minPerUser', 'maxPerUser'] as const)
    if (!Number.isInteger(o[key]) || o[key] < 1) bad(`${key} to be a positive integer`, o[key]);
  if (o.nClusters > o.nItems) bad('nClusters ≤ nItems', o.nClusters);
  if (o.minPerUser < 3) bad('minPerUser ≥ 3 (each user needs train, validation and test rows)', o.minPerUser);
  if (o.maxPerUser < o.minPerUser) bad('maxPerUser ≥ minPerUser', o.maxPerUser);
  if (o.minPerUser > o.nItems) bad(`minPerUser ≤ nItems (${o.nItems})`, o.minPerUser);
  if (!(o.activityShape > 1)) bad('activityShape > 1', o.activityShape);
  if (!(o.exploration >= 0 && o.exploration <= 1)) bad('exploration in [0, 1]', o.exploration);
  if (!(o.meanPerUser >= o.minPerUser)) bad('meanPerUser ≥ minPerUser', o.meanPerUser);
}
