/**
 * One string names a dataset everywhere (API, CLI, worker): an MMRec folder, a CSV/TSV file of
 * interactions, or `synthetic:<preset>[:<seed>]` for the built-in generator.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';
import type { Dataset } from './dataset';
import { readMmrec } from './mmrec';
import { readCsv } from './csv';
import { syntheticDataset, SYNTHETIC_PRESETS, type SyntheticPreset } from './synthetic';

export function loadDataset(spec: string): Dataset {
  const m = /^synthetic:([a-z]+)(?::(\d+))?$/.exec(spec);
  if (m) {
    const preset = m[1] as SyntheticPreset;
    if (!(preset in SYNTHETIC_PRESETS))
      throw new MmgError(`unknown synthetic preset '${preset}' (expected ${Object.keys(SYNTHETIC_PRESETS).join(', ')})`, 'MMG_E_ARG');
    return syntheticDataset(preset, m[2] === undefined ? {} : { seed: Number(m[2]) });
  }
  if (!fs.existsSync(spec)) throw new MmgError(`${spec}: no such file or folder (expected an MMRec folder, a CSV/TSV file or synthetic:<preset>)`, 'MMG_E_DATA');
  if (fs.statSync(spec).isDirectory()) return readMmrec(spec);
  if (/\.(csv|tsv|txt)$/i.test(spec)) return readCsv(spec);
  throw new MmgError(`${spec}: not a folder or a .csv/.tsv file`, 'MMG_E_DATA');
}

export function datasetLabel(spec: string): string {
  return spec.startsWith('synthetic:') ? spec : path.basename(path.resolve(spec));
}
