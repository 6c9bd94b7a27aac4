import { renderReport } from '../../lib/report/html';

test('the HTML report is self-contained and shows metrics, curves and breakdowns', () => {
  const valid = { rounded: { 'recall@20': 0.3 }, unrounded: { 'recall@20': 0.3 }, nUsers: 10 };
  const html = renderReport({
    title: 'demo <test>',
    dataset: { name: 'synthetic:tiny', nUsers: 60, nItems: 40, nTrain: 286 },
    models: [
      {
        name: 'LightGCN', bestEpoch: 1, trainSeconds: 1.5, test: { 'recall@20': 0.25 }, valid: { 'recall@20': 0.3 },
        history: [0, 1].map((epoch) => ({ epoch, lr: 0.001, loss: { total: 0.69 - epoch / 100 }, trainSec: 1, evalSec: 0.1, valid, test: null, improved: true, best: { epoch, score: 0.3 } })),
        breakdown: { 'long tail': { 'recall@20': 0.125, users: 7 } },
      },
    ],
    metrics: ['recall@20'],
    validMetric: 'recall@20',
  });
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).not.toMatch(/<script|src=|href=/i);
  expect(html).toContain('demo &lt;test&gt;');
  expect(html).toContain('<td>LightGCN</td><td>0.2500</td><td>1</td><td>1.5 s</td>');
  expect((html.match(/<svg /g) ?? []).length).toBe(2);
  expect(html).toContain('<td>0.1250</td><td>7</td>');
});
