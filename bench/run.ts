/** Runs every benchmark (npm run bench after npm run build:ts). Prints; never asserts timings. */
import { benchInfonce } from './infonce';
import { benchKnn } from './knn';
import { benchMatmul } from './matmul';
import { benchSpmm } from './spmm';
import { benchTopk } from './topk';

benchMatmul();
benchSpmm();
benchKnn();
benchTopk();
benchInfonce();
