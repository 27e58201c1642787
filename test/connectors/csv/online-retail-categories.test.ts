import { ONLINE_RETAIL_CATEGORY_RULES } from '../../../connectors/csv/online-retail-categories';
import { isOnlineRetailNonProductCode } from '../../../connectors/csv/online-retail-products';
import {
  NON_PRODUCT_CATEGORY,
  OTHER_CATEGORY,
  descriptionCategorizer,
} from '../../../worker/analytics/segments/product-categories';

/** One product's category under the Online Retail table, from its description and stock code. */
const categoryOfDescription = descriptionCategorizer(ONLINE_RETAIL_CATEGORY_RULES);

describe('categoryOfDescription', () => {
  it.each([
    ['WHITE HANGING HEART T-LIGHT HOLDER', 'Candles & lighting'],
    ['JUMBO BAG RED RETROSPOT', 'Bags'],
    ['LUNCH BAG RED RETROSPOT', 'Bags'],
    ["PAPER CHAIN KIT 50'S CHRISTMAS", 'Christmas & seasonal'],
    ["JUMBO BAG 50'S CHRISTMAS", 'Christmas & seasonal'],
    ['REGENCY CAKESTAND 3 TIER', 'Kitchen & dining'],
    ['ROSES REGENCY TEACUP AND SAUCER', 'Kitchen & dining'],
    ['ROUND SNACK BOXES SET OF4 WOODLAND', 'Kitchen & dining'],
    ['PARTY BUNTING', 'Party & celebrations'],
    ['RED RETROSPOT WRAP', 'Cards & wrapping'],
    ['PACK OF 6 BIRDY GIFT TAGS', 'Cards & wrapping'],
    ['RED  HARMONICA IN BOX', 'Toys & games'],
    ['VINTAGE HEADS AND TAILS CARD GAME', 'Toys & games'],
    ['GIN + TONIC DIET METAL SIGN', 'Home decor'],
    ['ALARM CLOCK BAKELIKE RED', 'Home decor'],
    ['BATHROOM METAL SIGN', 'Home decor'],
    ['WATERING CAN BLUE ELEPHANT', 'Garden & outdoor'],
    ['AMBER DROP EARRINGS W LONG BEADS', 'Jewellery & accessories'],
    ['HOT WATER BOTTLE KEEP CALM', 'Home textiles'],
    ['SET/3 RED GINGHAM ROSE STORAGE BOX', 'Storage & organisation'],
    ['STRAWBERRY BATH SPONGE', 'Bath & beauty'],
    ['PACK OF 12 COLOURED PENCILS', 'Stationery & craft'],
    ['POSTAGE', NON_PRODUCT_CATEGORY],
    ['Manual', NON_PRODUCT_CATEGORY],
    ['FRENCH CARRIAGE LANTERN', 'Candles & lighting'],
    ['PIGGY BANK RETROSPOT', OTHER_CATEGORY],
    ['', OTHER_CATEGORY],
  ])('%p → %p', (description, category) => {
    expect(categoryOfDescription(description)).toBe(category);
  });

  it('matches whole words only, with an optional plural', () => {
    // PEN must not match inside PENDANT (which is jewellery), TIN not inside TINY, CUP not inside CUPBOARD.
    expect(categoryOfDescription('SILVER PENDANT')).toBe('Jewellery & accessories');
    expect(categoryOfDescription('TINY THING')).toBe(OTHER_CATEGORY);
    expect(categoryOfDescription('BLUE PENS')).toBe('Stationery & craft');
    expect(categoryOfDescription('SET OF 3 CANDLES')).toBe('Candles & lighting');
  });

  it('treats non-product stock codes as Non-product whatever the description', () => {
    for (const code of [
      'POST',
      'D',
      'M',
      'DOT',
      'BANK CHARGES',
      'AMAZONFEE',
      'C2',
      'CRUK',
      'S',
      'B',
      'gift_0001_20',
    ]) {
      expect(isOnlineRetailNonProductCode(code)).toBe(true);
      expect(categoryOfDescription('JUMBO BAG RED', code)).toBe(NON_PRODUCT_CATEGORY);
    }
    expect(isOnlineRetailNonProductCode('85123A')).toBe(false);
    expect(isOnlineRetailNonProductCode('PADS')).toBe(false);
  });
});
