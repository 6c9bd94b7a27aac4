#!/usr/bin/env node
/**
 * mmgraph command line: demo, train, eval, recommend, synth, info. `mmgraph <command> --help`.
 * Errors print one line (the MmgError message) and exit 1; --debug prints the stack.
 */
import { MmgError } from '../errors';
import { runDemo } from './demo';
import { runTrain, runEval, runRecommend, runSynth, runInfo } from './commands';

const HELP = `mmgraph — graph-based multimodal recommenders on Node.js

Usage: mmgraph <command> [options]

Commands:
  demo        train LightGCN and the best multimodal model on built-in synthetic data,
              print metrics, write an HTML report, a saved model and sample recommendations
  train       train a model:   --model <name> --data <dir|file|synthetic:PRESET> [--config file.json|yaml[,more.yaml]]
                               [--epochs N] [--seed N | --seeds 1,2,3] [--device cpu|cuda] [--out DIR] [--resume]
                               [--dataset-defaults baby|sports|clothing|elec|none] [--select-on valid|test]
                               (MMRec yaml verbatim; list values make a grid, tabulated in DIR/results.csv)
                               [--cold-start items [--cold-fraction 0.2] [--cold-seed 999]]
  eval        evaluate a saved model on a dataset's test (or --split valid) rows: --model-file F --data D
                               [--cold-start]: item cold-start metrics and user-sparsity groups
  recommend   top-K items for users:  --model-file F --users 1,2,3 [--k 10] [--include-seen]
  synth       write a synthetic dataset in MMRec format: --preset tiny|small|baby --out DIR [--seed N]
  info        build, CPU features, threads and backends (why CUDA is or is not usable)

Data: an MMRec folder (<name>.inter + image_feat.npy + text_feat.npy), a CSV/TSV of user,item[,timestamp],
or synthetic:<preset>[:seed]. Run 'mmgraph <command> --help' for each command's options.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(HELP);
    return 0;
  }
  switch (cmd) {
    case 'demo':
      return runDemo(rest);
    case 'train':
      return runTrain(rest);
    case 'eval':
      return runEval(rest);
    case 'recommend':
      return runRecommend(rest);
    case 'synth':
      return runSynth(rest);
    case 'info':
      return runInfo(rest);
    default:
      throw new MmgError(`unknown command '${cmd}' (expected demo, train, eval, recommend, synth or info; see mmgraph --help)`, 'MMG_E_ARG');
  }
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2).filter((a) => a !== '--debug')).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error & { code?: string }) => {
    console.error(`mmgraph: ${e.message}${e.code && e.code !== 'MMG_E_ARG' ? ` [${e.code}]` : ''}`);
    if (debug) console.error(e.stack);
    process.exitCode = 1;
  },
);
