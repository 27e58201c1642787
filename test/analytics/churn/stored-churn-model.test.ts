/**
 * A churn classifier kept as JSON with a model version scores a later run exactly as the trained model does,
 * whatever order that run indexes its channels in; a rescore with it trains nothing.
 */
import { MS_PER_DAY } from '../../../worker/analytics/clean/parse-timestamp';
import { trainAndScoreChurn } from '../../../worker/analytics/churn/churn-stage';
import { restoreChurnModel, storeChurnModel } from '../../../worker/analytics/churn/stored-churn-model';
import type { ChurnInput } from '../../../worker/analytics/churn/types';
import { demoShop } from './demo-shop';

const shop = demoShop(1500, 7);
const at = (day: number) => ({ observationEnd: day * MS_PER_DAY });

describe('a stored churn classifier', () => {
  const trained = trainAndScoreChurn({ ...shop, ...at(shop.endDay - 30) });

  it('uses the channel columns (else the remapping below proves nothing)', () => {
    expect(trained.model.spec.channelColumns.length).toBeGreaterThan(0);
    expect(trained.model.spec.names.some((n) => n.startsWith('channel='))).toBe(true);
  });

  it('scores a later day exactly as the model it was stored from, after a JSON round trip', () => {
    const stored = JSON.parse(JSON.stringify(storeChurnModel(trained.model, shop.channels)));
    const later = at(shop.endDay);
    const direct = trainAndScoreChurn({ ...shop, ...later, options: { reuse: trained.model } });
    const restored = trainAndScoreChurn({
      ...shop,
      ...later,
      options: { reuse: restoreChurnModel(stored, shop.channels) },
    });
    expect(Array.from(restored.perCustomer.probability)).toEqual(Array.from(direct.perCustomer.probability));
    expect(restored.perCustomer.risk).toEqual(direct.perCustomer.risk);
    // Scored with, not trained: no out-of-time check, the model's own training cutoff kept.
    expect(restored.evaluation).toBeNull();
    expect(restored.model.cutoffDay).toBe(trained.model.cutoffDay);
  });

  it('maps channel columns by name when a later run indexes the channels in another order', () => {
    const stored = storeChurnModel(trained.model, shop.channels);
    const channels = shop.channels!;
    // The same orders in a run that has met a new channel first: every index moves up by one. (The order
    // of the others is kept, so the main channel's ties, broken by the lower index, fall the same way.)
    const shifted = ['kiosk', ...channels];
    const remapped: ChurnInput = {
      ...shop,
      channels: shifted,
      orders: {
        ...shop.orders,
        channel: Int32Array.from(shop.orders.channel!, (k) => (k < 0 ? k : k + 1)),
      },
    };
    const original = trainAndScoreChurn({
      ...shop,
      ...at(shop.endDay),
      options: { reuse: restoreChurnModel(stored, channels) },
    });
    const moved = trainAndScoreChurn({
      ...remapped,
      ...at(shop.endDay),
      options: { reuse: restoreChurnModel(stored, shifted) },
    });
    expect(Array.from(moved.perCustomer.probability)).toEqual(Array.from(original.perCustomer.probability));
    // Without the names, the indices would point at other channels and the probabilities would move.
    const byIndex = trainAndScoreChurn({
      ...remapped,
      ...at(shop.endDay),
      options: { reuse: trained.model },
    });
    expect(Array.from(byIndex.perCustomer.probability)).not.toEqual(
      Array.from(original.perCustomer.probability),
    );
  });

  it('refuses, in words, a feature this engine does not have', () => {
    const stored = storeChurnModel(trained.model, shop.channels);
    stored.spec.features = [...stored.spec.features, 'moon_phase'];
    expect(() => restoreChurnModel(stored, shop.channels)).toThrow(/'moon_phase'.*retrain the tenant/);
  });
});
