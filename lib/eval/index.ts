/** MMRec full-ranking evaluation and breakdowns. */
export { evaluate, evalSetOf, evaluateByPopularity, evaluateByActivity } from './evaluator';
export type { EvalSet, EvalResult, EvaluateOptions, GroupResult, PopularityOptions, ActivityOptions } from './evaluator';
export { rint, round4, userCurve, METRICS, MMREC_METRICS, DEFAULT_TOPK, type MetricName } from './metrics';
