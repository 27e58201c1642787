/**
 * The demo retailer's catalogue: a speciality coffee shop selling beans, tea, brewing gear, accessories, snacks
 * and gifts. Fixed (not random) so product ids and names are stable across seeds and runs; `popularity` is a
 * relative weight (a Zipf-like long tail within each category).
 */

export type CatalogueProduct = {
  id: string;
  name: string;
  category: ProductCategory;
  /** List price in the shop's currency. */
  price: number;
  popularity: number;
};

export const PRODUCT_CATEGORIES = ['Coffee', 'Tea', 'Brewing', 'Accessories', 'Snacks', 'Gifts'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

const ITEMS: Record<ProductCategory, [string, number][]> = {
  Coffee: [
    ['House Blend 250 g', 9.5],
    ['Espresso Roast 250 g', 10.5],
    ['Colombia Huila 250 g', 12.0],
    ['Ethiopia Yirgacheffe 250 g', 14.0],
    ['Decaf Swiss Water 250 g', 11.0],
    ['Kenya AA 250 g', 15.5],
    ['House Blend 1 kg', 32.0],
    ['Guatemala Antigua 250 g', 13.0],
    ['Cold Brew Blend 500 g', 18.0],
    ['Geisha Microlot 100 g', 29.0],
  ],
  Tea: [
    ['English Breakfast 100 g', 7.5],
    ['Sencha 100 g', 9.0],
    ['Earl Grey 100 g', 8.0],
    ['Chamomile 50 g', 6.5],
    ['Oolong Tieguanyin 100 g', 14.5],
    ['Matcha Ceremonial 30 g', 22.0],
  ],
  Brewing: [
    ['Pour-over Dripper', 24.0],
    ['Paper Filters (100)', 6.0],
    ['French Press 1 l', 35.0],
    ['Burr Grinder', 129.0],
    ['Gooseneck Kettle', 69.0],
    ['Espresso Machine', 449.0],
    ['Moka Pot 6 cup', 39.0],
    ['Digital Scale', 45.0],
  ],
  Accessories: [
    ['Ceramic Mug', 14.0],
    ['Travel Tumbler', 22.0],
    ['Airtight Canister', 19.0],
    ['Milk Frothing Jug', 17.0],
    ['Cleaning Tablets', 11.0],
  ],
  Snacks: [
    ['Almond Biscotti', 5.5],
    ['Dark Chocolate Bar', 4.5],
    ['Shortbread Tin', 12.0],
    ['Salted Caramel Wafers', 6.0],
  ],
  Gifts: [
    ['Tasting Flight Box', 39.0],
    ['Gift Card 50', 50.0],
    ['Barista Starter Kit', 89.0],
    ['Monthly Subscription (3 months)', 75.0],
  ],
};

/** Relative demand of each category (coffee dominates, gear is occasional). */
const CATEGORY_WEIGHT: Record<ProductCategory, number> = {
  Coffee: 0.45,
  Tea: 0.15,
  Brewing: 0.12,
  Accessories: 0.12,
  Snacks: 0.1,
  Gifts: 0.06,
};

function buildCatalogue(): CatalogueProduct[] {
  const products: CatalogueProduct[] = [];
  let next = 1001;
  for (const category of PRODUCT_CATEGORIES) {
    const items = ITEMS[category];
    // Zipf(0.8) within the category, normalised so the category totals its weight.
    const raw = items.map((_, rank) => 1 / (rank + 1) ** 0.8);
    const total = raw.reduce((a, b) => a + b, 0);
    items.forEach(([name, price], rank) => {
      products.push({
        id: `P${next++}`,
        name,
        category,
        price,
        popularity: (CATEGORY_WEIGHT[category] * raw[rank]) / total,
      });
    });
  }
  return products;
}

export const PRODUCT_CATALOGUE: readonly CatalogueProduct[] = Object.freeze(buildCatalogue());

/** The catalogue as explicit categories by product id: the demo's interests follow the shop's own categories. */
export function demoCatalogueCategories(): Map<string, string> {
  return new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.category]));
}
