/**
 * An abort flag shared between the main thread and the training worker. The worker's loop is
 * synchronous, so it cannot receive messages mid-epoch; it reads this shared word every step.
 */
export class SharedAbort {
  readonly buffer: SharedArrayBuffer;
  private readonly word: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.word = new Int32Array(this.buffer);
  }
  abort(): void {
    Atomics.store(this.word, 0, 1);
  }
  get aborted(): boolean {
    return Atomics.load(this.word, 0) === 1;
  }
  /** An AbortSignal-like view for train(). */
  asSignal(): AbortSignal {
    const self = this;
    return { get aborted() { return self.aborted; } } as AbortSignal;
  }
}
