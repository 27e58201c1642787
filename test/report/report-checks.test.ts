import type { HoldoutMetrics } from '../../worker/analytics/clv/model-comparison';
import type { ModelReport, ReportedFit } from '../../worker/report/model-report';
import { reportChecks } from '../../worker/report/report-checks';

const diagnostics = {
  converged: true,
  iterations: 1,
  evaluations: 1,
  gradientNorm: 0,
  message: '',
  warnings: [],
};
const fit = (model: ReportedFit['model'], params: Record<string, number>): ReportedFit => ({
  model,
  params,
  standardErrors: {},
  logLikelihood: -1,
  n: 10,
  penalizer: 0,
  diagnostics,
});
const metric = (
  model: HoldoutMetrics['model'],
  predictedTotal: number,
  actualTotal: number,
): HoldoutMetrics =>
  ({
    model,
    predictedTotal,
    actualTotal,
    totalError: (predictedTotal - actualTotal) / actualTotal,
  }) as HoldoutMetrics;

// CDNOW's published fits (Fader, Hardie & Lee 2005): drop-out well away from its bounds.
const cdnow = [
  fit('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }),
  fit('pareto-nbd', { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }),
];
const input = { calibrationEnd: '2011-09-09', observationEnd: '2011-12-09', period: 'week' as const };

function calibration(metrics: HoldoutMetrics[], fits = cdnow): ModelReport['calibration'] {
  return { customers: 10, fits, holdoutDuration: 13, metrics, tracking: [], calibrationEndPeriod: 40 };
}

describe('reportChecks', () => {
  it('says nothing of sound fits with a small holdout error', () => {
    const r = {
      fits: cdnow,
      selectedModel: 'bgnbd' as const,
      input,
      calibration: calibration([metric('bgnbd', 95, 100)]),
    };
    expect(reportChecks(r)).toEqual([]);
  });

  it('flags a holdout error above 15% in words, and models that predict the same', () => {
    // Online Retail with --calibration-end 2011-09-09: every model predicts 3,340 of 4,455 (−25%).
    const r = {
      fits: cdnow,
      selectedModel: 'pareto-nbd' as const,
      input,
      calibration: calibration([
        metric('bgnbd', 3339.62, 4455),
        metric('mbgnbd', 3339.62, 4455),
        metric('pareto-nbd', 3339.62, 4455),
      ]),
    };
    const checks = reportChecks(r);
    const holdout = checks.find((c) => c.kind === 'holdout-error')!;
    expect(holdout.text).toContain('all 3 models under-predict');
    expect(holdout.text).toContain('about 25%');
    expect(holdout.text).toContain('3,340 against 4,455 actual');
    expect(holdout.text).toContain('likely too low');
    expect(holdout.headline).toContain('under-predicted repeat purchases by 25%');
    expect(checks.find((c) => c.kind === 'models-agree')?.text).toContain('predict the same holdout total');
  });

  it('flags one model over-predicting, without calling it all of them', () => {
    const r = {
      fits: cdnow,
      selectedModel: 'bgnbd' as const,
      input,
      calibration: calibration([metric('bgnbd', 100, 100), metric('pareto-nbd', 130, 100)]),
    };
    const [check] = reportChecks(r);
    expect(check.text).toContain('pareto-nbd over-predicts');
    // Not the selected model: nothing for the manager's summary.
    expect(check.headline).toBeNull();
  });

  it('flags a BG/NBD fit with a → 0 as "no drop-out detected" and says what the product does', () => {
    // Online Retail on all data: a 0.0029, b 7.24 (a chance of leaving after a purchase of 0.04%).
    const fits = [fit('bgnbd', { r: 0.8282, alpha: 9.9287, a: 0.002865, b: 7.2444 }), cdnow[1]];
    const [check, ...rest] = reportChecks({ fits, selectedModel: 'bgnbd', input, calibration: null });
    expect(rest).toEqual([]);
    expect(check.kind).toBe('no-dropout');
    expect(check.text).toMatch(/^No drop-out detected \(fitted on all data\): bgnbd a = 0\.002865 → 0/);
    expect(check.text).toContain('a/(a+b) = 0.040%');
    expect(check.text).toContain('What crm-clv does about it');
    expect(check.text).toContain('P(alive)');
    expect(check.headline).toContain('no customers leaving for good');
  });

  it('flags Pareto/NBD with s/β → 0, and another parameter at a bound as a boundary fit', () => {
    const fits = [
      fit('pareto-nbd', { r: 0.829, alpha: 9.95, s: 6.65e-6, beta: 203262 }),
      fit('bgnbd', { r: 0.8, alpha: 2e6, a: 0.8, b: 2.4 }),
    ];
    const checks = reportChecks({ fits, selectedModel: 'bgnbd', input, calibration: null });
    expect(checks.map((c) => c.kind)).toEqual(['no-dropout', 'boundary']);
    expect(checks[0].text).toContain('pareto-nbd s = 6.65e-6 → 0');
    // The selected model does find drop-out: predicted values are not affected.
    expect(checks[0].text).toContain('does find drop-out');
    expect(checks[0].headline).toBeNull();
    expect(checks[1].text).toContain(
      'bgnbd (fitted on all data) is at a parameter boundary: alpha = 2.00e+6 (→ ∞)',
    );
    expect(checks[1].headline).toContain('limit of its range');
  });
});
