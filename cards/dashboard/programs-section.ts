/**
 * The dashboard's retention-programs card: per program, the arms, the measured retention and revenue lift with
 * their 95% intervals, and ROI. An open window is labelled interim in the row itself, not in a footnote.
 */
import type { ProgramResult } from '../../worker/programs/measure-programs';
import { escapeHtml, money } from '../preview/render-card-html';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pts`;

export function programsSection(results: readonly ProgramResult[], problem?: string): string {
  if (problem !== undefined)
    return `<div class="card" id="programs"><h2>Retention programs</h2><p data-testid="programs-problem">${escapeHtml(problem)}</p></div>`;
  if (results.length === 0) return '';
  const rows = results
    .map((r) => {
      const l = r.lift;
      const c = r.program.currency;
      const lift = l.retentionLift
        ? `${pts(l.retentionLift.estimate)}<br><span class="muted">95% CI ${pts(l.retentionLift.low)} to ${pts(l.retentionLift.high)}</span>`
        : '—';
      const revenue = l.revenueLift
        ? `${escapeHtml(money(l.revenueLift.estimate, c))}<br><span class="muted">95% CI ${escapeHtml(money(l.revenueLift.low, c))} to ${escapeHtml(money(l.revenueLift.high, c))}</span>`
        : '—';
      return `<tr data-testid="program-row" data-program="${escapeHtml(r.program.id)}"><td>${escapeHtml(r.program.name)}<br><span class="muted">${escapeHtml(r.program.id)} · ${r.program.status}</span></td><td data-testid="program-status">${
        r.status === 'interim' ? 'interim: window open' : 'final'
      }</td><td>${l.treatment.customers} / ${l.control.customers}</td><td>${pct(l.treatment.retentionRate)} / ${pct(l.control.retentionRate)}</td><td data-testid="program-lift">${lift}</td><td>${revenue}</td><td>${
        l.incrementalRevenue === undefined ? '—' : escapeHtml(money(l.incrementalRevenue, c))
      }</td><td data-testid="program-roi">${l.roi === undefined ? '—' : pct(l.roi)}</td></tr>`;
    })
    .join('');
  const notes = results
    .map((r) => `<li>${escapeHtml(r.program.name)}: ${escapeHtml(r.detectable.words)}</li>`)
    .join('');
  return `<div class="card" id="programs"><h2>Retention programs</h2><p class="muted">Retained = at least one won order within the window after enrolment. Treatment vs a randomised control; interim figures are not results until the window closes.</p>
<table><thead><tr><th>Program</th><th>Result</th><th>Treated / control</th><th>Retention, treated / control</th><th>Retention lift</th><th>Revenue lift per customer</th><th>Incremental revenue</th><th>ROI</th></tr></thead><tbody>${rows}</tbody></table><ul class="muted">${notes}</ul></div>`;
}
