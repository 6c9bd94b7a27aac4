/** trainAsync runs in a worker thread: the event loop stays free, progress arrives, abort stops it. */
import { trainAsync } from '../../lib/train/train_async';

describe('trainAsync (worker thread)', () => {
  test('reports progress and epochs, keeps the event loop responsive, and returns the summary', async () => {
    let progress = 0;
    const epochs: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const summary = await trainAsync('synthetic:tiny', 'lightgcn', {}, {
      epochs: 4, batchSize: 32, topk: [5, 10, 20],
      onProgress: () => progress++,
      onEpoch: (e) => epochs.push(e.epoch),
    });
    clearInterval(timer);
    expect(epochs).toEqual([0, 1, 2, 3]);
    expect(progress).toBeGreaterThanOrEqual(4 * 9);
    expect(ticks).toBeGreaterThan(0);
    expect(summary.modelName).toBe('lightgcn');
    expect(summary.history).toHaveLength(4);
    expect(summary.bestTest?.rounded['recall@20']).toBeGreaterThan(0);
  });

  test('an AbortSignal stops training early', async () => {
    const ctl = new AbortController();
    const summary = await trainAsync('synthetic:tiny', 'lightgcn', {}, {
      epochs: 500, batchSize: 8, topk: [5, 10, 20],
      onEpoch: (e) => {
        if (e.epoch === 1) ctl.abort();
      },
      signal: ctl.signal,
    });
    expect(summary.stoppedBy).toBe('abort');
    expect(summary.history.length).toBeLessThan(10);
  });

  test('errors inside the worker reject with the MmgError message and code', async () => {
    await expect(trainAsync('synthetic:nope', 'lightgcn')).rejects.toMatchObject({ code: 'MMG_E_ARG', message: expect.stringMatching(/unknown synthetic preset 'nope'/) });
    await expect(trainAsync('synthetic:tiny', 'lightgcn', { n_layers: -1 }, { topk: [5] , validMetric: 'recall@5' })).rejects.toThrow(/expected n_layers/);
  });
});
