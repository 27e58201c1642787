/**
 * The kinds of behavioural segment the engine names. A behavioural segment's name is its kind, sometimes
 * qualified to tell it from a sibling of the same kind: "Occasional (less recent, longer tenure)", "Loyal
 * regulars (spend tier 2)", or with a numeric suffix when centroids coincide ("Occasional 2"); see
 * worker/analytics/segments/clusters/naming.ts, whose rule table returns exactly these kinds. Playbooks and
 * next-best-action rules are keyed by kind, so a qualified name finds its kind's playbook.
 */
export const BEHAVIOURAL_SEGMENT_KINDS = [
  'High-value loyal',
  'Loyal regulars',
  'New big spenders',
  'New low spenders',
  'New customers',
  'Recent big spenders',
  'Active occasional',
  'Lapsing big spenders',
  'Lost one-timers',
  'Lapsed occasional',
  'Cooling high-value',
  'Cooling big spenders',
  'Cooling regulars',
  'Occasional low spenders',
  'Occasional',
] as const;

export type BehaviouralSegmentKind = (typeof BEHAVIOURAL_SEGMENT_KINDS)[number];

/** Longest first, so "Occasional low spenders" is not taken for a qualified "Occasional". */
const BY_LENGTH = [...BEHAVIOURAL_SEGMENT_KINDS].sort((a, b) => b.length - a.length);

/**
 * The kind of a behavioural segment name, or undefined for a name made outside the vocabulary.
 * Example: behaviouralSegmentKind('Occasional (less recent, longer tenure)') === 'Occasional'.
 */
export function behaviouralSegmentKind(name: string): BehaviouralSegmentKind | undefined {
  for (const kind of BY_LENGTH) {
    if (name === kind) return kind;
    if (!name.startsWith(kind)) continue;
    const rest = name.slice(kind.length);
    // A qualifier in brackets, a numeric suffix, or both ("Occasional (higher spend) 2").
    if (/^( \([^()]+\))?( \d+)?$/.test(rest)) return kind;
  }
  return undefined;
}
