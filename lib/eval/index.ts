/** MMRec full-ranking evaluation and breakdowns. */
export { evaluate, evalSetOf, evaluateByPopularity, evaluateByActivity, evaluateItemGroup, evaluateByUserTrainCount, USER_SPARSITY_BOUNDS } from './evaluator';
export type { EvalSet, EvalResult, EvaluateOptions, GroupResult, PopularityOptions, ActivityOptions, UserTrainCountOptions, UserGroup } from './evaluator';
export { evaluateColdStart, type ColdStartEval, type ColdStartEvalOptions } from './evaluate_model';
export { rint, round4, userCurve, METRICS, MMREC_METRICS, DEFAULT_TOPK, type MetricName } from './metrics';
