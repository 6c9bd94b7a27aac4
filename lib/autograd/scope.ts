/**
 * Tensor lifetime scopes. `tidy(fn)` disposes every tensor created inside fn except what fn
 * returns and what was passed to `keep()`. Scopes nest; returned tensors move to the parent scope.
 * Native finalizers (the handle's ObjectWrap destructor) are the backstop for tensors nobody
 * disposed; they run only when V8 collects, so long loops should use tidy or dispose.
 */
import type { Tensor } from '../tensor';

const stack: Array<Set<Tensor>> = [];

/** @internal Called by the Tensor constructor. */
export function trackTensor(t: Tensor): void {
  if (stack.length) stack[stack.length - 1].add(t);
}

/** Removes a tensor from every open scope so tidy() never disposes it. Returns it. */
export function keep<T extends Tensor | null | undefined>(t: T): T {
  if (t) for (const s of stack) s.delete(t);
  return t;
}

function collect(v: unknown, out: Set<Tensor>, depth = 0): void {
  if (v === null || v === undefined || depth > 4) return;
  if (typeof v === 'object' && 'handle' in (v as object) && 'shape' in (v as object) && 'dtype' in (v as object)) {
    out.add(v as Tensor);
    return;
  }
  if (Array.isArray(v)) for (const x of v) collect(x, out, depth + 1);
  else if (v instanceof Map) for (const x of v.values()) collect(x, out, depth + 1);
  else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    for (const x of Object.values(v as Record<string, unknown>)) collect(x, out, depth + 1);
}

export function tidy<R>(fn: () => R): R {
  const scope = new Set<Tensor>();
  stack.push(scope);
  let result: R;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  stack.pop();
  const survivors = new Set<Tensor>();
  collect(result, survivors);
  for (const t of scope) {
    if (survivors.has(t)) continue;
    t.dispose();
  }
  if (stack.length) for (const t of survivors) if (scope.has(t)) stack[stack.length - 1].add(t);
  return result;
}

/** Disposes every tensor in a value (tensor, array, plain object or Map). */
export function disposeAll(v: unknown): void {
  const s = new Set<Tensor>();
  collect(v, s);
  for (const t of s) t.dispose();
}
