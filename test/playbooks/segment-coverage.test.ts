/**
 * Every segment name the engine can produce has a playbook. The names are enumerated from the engine itself:
 * the behavioural rule table (clusterBaseName) over every combination of levels, the qualifiers and suffixes
 * distinctNames adds, and the RFM map (rfmSegmentOf) over every (R, FM) cell; not from a copied list.
 */
import { RFM_SEGMENTS } from '../../domain/rfm-segments';
import { BEHAVIOURAL_SEGMENT_KINDS, behaviouralSegmentKind } from '../../domain/segment-kinds';
import { rfmSegmentOf } from '../../worker/analytics/segments/rfm-segments';
import {
  clusterBaseName,
  distinctNames,
  type NameTrait,
} from '../../worker/analytics/segments/clusters/naming';
import type { ClusterProfile, Level } from '../../worker/analytics/segments/clusters/types';
import { behaviouralPlaybookKey, loadPlaybooks, rfmPlaybookKey } from '../../playbooks';
import { buildFacts, buildScore } from './builders';

const LEVELS: Level[] = ['low', 'mid', 'high'];

function everyBaseName(): Set<string> {
  const names = new Set<string>();
  for (const recency of LEVELS)
    for (const frequency of LEVELS)
      for (const monetary of LEVELS)
        for (const tenure of LEVELS) {
          const profile: ClusterProfile = {
            recencyDays: 0,
            frequency: 0,
            monetary: 0,
            tenureDays: 0,
            levels: { recency, frequency, monetary, tenure },
          };
          names.add(clusterBaseName(profile));
        }
  return names;
}

const trait = (noun: string, values: number[]): NameTrait => ({
  noun,
  higher: `more ${noun}`,
  lower: `less ${noun}`,
  values,
});

describe('segment coverage', () => {
  const playbooks = loadPlaybooks();
  const engineKinds = everyBaseName();

  it('the domain vocabulary is exactly the set of names the rule table produces', () => {
    expect([...engineKinds].sort()).toEqual([...BEHAVIOURAL_SEGMENT_KINDS].sort());
  });

  it('every behavioural segment kind the engine names has its own playbook', () => {
    for (const kind of engineKinds) {
      const rendered = playbooks.renderPlaybook(buildScore({ segmentName: kind }), buildFacts());
      expect(rendered.segmentation).toBe('behavioural');
      expect(rendered.segmentKey).toBe(behaviouralPlaybookKey(behaviouralSegmentKind(kind)!));
      expect(playbooks.playbookKeys).toContain(rendered.segmentKey);
    }
  });

  it('qualified, tiered and suffixed names find their kind’s playbook', () => {
    for (const kind of engineKinds) {
      const names = [
        // Split at the largest gap, then again on another trait: "X (more a, less b)".
        ...distinctNames([kind, kind, kind], [trait('a', [3, 2, 0]), trait('b', [0, 1, 0])]),
        // One trait only, three clusters: "X (a tier 1)".
        ...distinctNames([kind, kind, kind], [trait('a', [3, 2, 1])]),
        // Identical centroids: the numeric suffix.
        ...distinctNames([kind, kind], [trait('a', [1, 1])]),
        // Qualified against a kept name.
        ...distinctNames([kind, kind], [trait('spend', [2, 1])], [kind, null]),
      ];
      // The engine really qualified them: brackets, tiers and a numeric suffix are all there.
      expect(names).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ \(.+, .+\)$/),
          expect.stringMatching(/ \(a tier 1\)$/),
          `${kind} 2`,
          `${kind} (less spend)`,
        ]),
      );
      for (const name of names) {
        expect(behaviouralSegmentKind(name)).toBe(kind);
        const rendered = playbooks.renderPlaybook(buildScore({ segmentName: name }), buildFacts());
        expect(rendered.segmentKey).toBe(behaviouralPlaybookKey(behaviouralSegmentKind(kind)!));
        expect(rendered.segmentName).toBe(name);
      }
    }
  });

  it('a name outside the vocabulary has no kind (and the card falls back to the RFM playbook)', () => {
    expect(behaviouralSegmentKind('Occasional buyers')).toBeUndefined();
    expect(behaviouralSegmentKind('Occasional (more a')).toBeUndefined();
    const rendered = playbooks.renderPlaybook(buildScore({ segmentName: 'Imported segment' }), buildFacts());
    expect(rendered.segmentKey).toBe('rfm:cant_lose_them');
  });

  it('every RFM segment the R × FM map assigns has a playbook, and so does every listed one', () => {
    const produced = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) produced.add(rfmSegmentOf(r, fm));
    expect([...produced].sort()).toEqual([...RFM_SEGMENTS].sort());
    for (const segment of RFM_SEGMENTS) {
      const rendered = playbooks.renderPlaybook(
        buildScore({ segmentName: undefined, rfmSegment: segment }),
        buildFacts(),
      );
      expect(rendered.segmentation).toBe('rfm');
      expect(rendered.segmentKey).toBe(rfmPlaybookKey(segment));
    }
  });
});
