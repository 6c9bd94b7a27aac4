/** Stable error codes; native code throws instances of MmgError carrying one of them. */
export type MmgErrorCode =
  | 'MMG_E_SHAPE'
  | 'MMG_E_DTYPE'
  | 'MMG_E_DEVICE'
  | 'MMG_E_CUDA'
  | 'MMG_E_OOM'
  | 'MMG_E_DATA'
  | 'MMG_E_ARG'
  | 'MMG_E_INTERNAL'
  | 'MMG_E_UNSUPPORTED'
  | 'MMG_E_LOAD';

export class MmgError extends Error {
  readonly code: MmgErrorCode;
  constructor(message: string, code: MmgErrorCode = 'MMG_E_INTERNAL') {
    super(message);
    this.name = 'MmgError';
    this.code = code;
  }
}

/** Throws an MmgError with code MMG_E_ARG unless `cond` holds. */
export function check(cond: unknown, code: MmgErrorCode, message: string | (() => string)): asserts cond {
  if (!cond) throw new MmgError(typeof message === 'function' ? message() : message, code);
}
