/**
 * Product → category, for interest segments and category features:
 * (a) an explicit category when the data has one (CRM Product.category, a --categories file, the demo
 *     catalogue);
 * (b) otherwise 'Non-product' for ids the data source marks as charges, adjustments or vouchers
 *     (`isNonProduct`);
 * (c) otherwise from the description by an ordered keyword table (`rules`, first matching rule wins), with
 *     whole descriptions that are charges (`nonProductDescriptions`) as 'Non-product'.
 * Anything unmatched is 'Other'. Categories are decided once per product, not per line. The table and the
 * non-product ids are knowledge of one data set, so the caller passes them (for UCI Online Retail:
 * connectors/csv/online-retail-categories); without them every product lacking an explicit category is Other.
 */

export const OTHER_CATEGORY = 'Other';
export const NON_PRODUCT_CATEGORY = 'Non-product';

/**
 * One category and its keywords, '|'-separated. A keyword matches whole words of the upper-cased description
 * with punctuation turned into spaces (T-LIGHT → "T LIGHT"), the last word optionally plural (S or ES).
 */
export type DescriptionRule = { category: string; keywords: string };

/** How a product without an explicit category is read: by its id, then by its description. */
export type CategoryRules = {
  /** Ordered: the first rule with a matching keyword decides, so a specific rule goes before a broad one. */
  rules?: readonly DescriptionRule[];
  /** Whole descriptions that are charges or bookkeeping, compared as the rules compare (case, punctuation). */
  nonProductDescriptions?: readonly string[];
  /** true for a product id that is not merchandise (postage, fees, vouchers), whatever its description. */
  isNonProduct?: (productId: string) => boolean;
};

type CompiledRule = { category: string; pattern: RegExp };

function escapeWord(word: string): string {
  return word.replace(/[^A-Z0-9 ]/g, '');
}

function compileRules(rules: readonly DescriptionRule[]): CompiledRule[] {
  return rules.map(({ category, keywords }) => ({
    category,
    // " KW " against " DESCRIPTION ": spaces as word bounds; (?:S|ES)? lets the last word be plural.
    pattern: new RegExp(` (?:${keywords.split('|').map(escapeWord).join('|')})(?:S|ES)? `),
  }));
}

/** " WORD WORD " — upper case, anything not a letter or digit a space, single spaces. */
function normalizeDescription(description: string): string {
  return ` ${description
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()} `;
}

/**
 * The category of one product from its description (and id, when given) under `rules`; the rules are
 * compiled once, so build one categorizer per table rather than per product.
 * Example: descriptionCategorizer({ rules: [{ category: 'Bags', keywords: 'BAG|TOTE' }] })('JUMBO BAG RED')
 *   → 'Bags'
 */
export function descriptionCategorizer(
  rules: CategoryRules,
): (description: string, productId?: string) => string {
  const compiled = compileRules(rules.rules ?? []);
  const nonProduct = new Set((rules.nonProductDescriptions ?? []).map((d) => normalizeDescription(d).trim()));
  return (description, productId = '') => {
    if (productId && rules.isNonProduct?.(productId)) return NON_PRODUCT_CATEGORY;
    const text = normalizeDescription(description);
    if (text.length <= 2) return OTHER_CATEGORY;
    if (nonProduct.has(text.trim())) return NON_PRODUCT_CATEGORY;
    for (const rule of compiled) if (rule.pattern.test(text)) return rule.category;
    return OTHER_CATEGORY;
  };
}

export type ProductCategories = {
  /** Named categories first (rule-table order, then explicit ones as first seen), then Other, Non-product. */
  categories: string[];
  /** Per product (same index as CleanResult.products): index into `categories`. */
  productCategory: Int32Array;
  /** Per product: how its category was decided ('stock-code': by isNonProduct on its id). */
  source: ('explicit' | 'description' | 'stock-code' | 'none')[];
};

export type CategorizeOptions = CategoryRules & {
  /** Descriptions per product (CleanResult.productNames). */
  names?: readonly string[];
  /** Explicit category by product id (wins over everything else); '' or missing → the rules. */
  explicit?: ReadonlyMap<string, string>;
};

/**
 * Categories of every product (ids as CleanResult.products, names as CleanResult.productNames).
 * Example: categorizeProducts(['85123A'], { names: ['WHITE HANGING HEART T-LIGHT HOLDER'],
 *   ...ONLINE_RETAIL_CATEGORY_RULES }) → productCategory [index of 'Candles & lighting']
 */
export function categorizeProducts(
  products: readonly string[],
  options: CategorizeOptions = {},
): ProductCategories {
  const n = products.length;
  const labels = new Array<string>(n);
  const source = new Array<ProductCategories['source'][number]>(n);
  const explicitSeen: string[] = [];
  const explicitSet = new Set<string>();
  const readsDescriptions = options.rules !== undefined || options.nonProductDescriptions !== undefined;
  const categoryOf = descriptionCategorizer(options);
  for (let p = 0; p < n; p++) {
    const id = products[p];
    const given = options.explicit?.get(id)?.trim();
    if (given) {
      labels[p] = given;
      source[p] = 'explicit';
      if (!explicitSet.has(given)) {
        explicitSet.add(given);
        explicitSeen.push(given);
      }
      continue;
    }
    if (options.isNonProduct?.(id)) {
      labels[p] = NON_PRODUCT_CATEGORY;
      source[p] = 'stock-code';
      continue;
    }
    const name = options.names?.[p] ?? '';
    const described = name !== '' && readsDescriptions;
    labels[p] = described ? categoryOf(name) : OTHER_CATEGORY;
    source[p] = described ? 'description' : 'none';
  }
  const present = new Set(labels);
  const ruleCategories = (options.rules ?? []).map((r) => r.category);
  const named = [...new Set([...ruleCategories.filter((c) => present.has(c)), ...explicitSeen])].filter(
    (c) => c !== OTHER_CATEGORY && c !== NON_PRODUCT_CATEGORY,
  );
  const categories = [...named, OTHER_CATEGORY, NON_PRODUCT_CATEGORY];
  const index = new Map(categories.map((c, i) => [c, i]));
  const productCategory = new Int32Array(n);
  for (let p = 0; p < n; p++) productCategory[p] = index.get(labels[p])!;
  return { categories, productCategory, source };
}

export type CategoryCoverage = {
  /** Σ positive line amounts. */
  revenue: number;
  /** Share of that revenue in a named category (not Other, not Non-product). */
  categorisedShare: number;
  otherShare: number;
  nonProductShare: number;
  /** Lines without a product id count as Other. */
  revenueByCategory: Record<string, number>;
};

/** How much line revenue the categories explain: the coverage figure for the mapping. */
export function categoryCoverage(
  categories: ProductCategories,
  lines: { product: Int32Array; amount: Float64Array },
): CategoryCoverage {
  const k = categories.categories.length;
  const sums = new Float64Array(k);
  const other = k - 2;
  for (let l = 0; l < lines.product.length; l++) {
    const a = lines.amount[l];
    if (!(a > 0)) continue;
    const p = lines.product[l];
    sums[p >= 0 ? categories.productCategory[p] : other] += a;
  }
  let revenue = 0;
  for (let c = 0; c < k; c++) revenue += sums[c];
  const share = (x: number) => (revenue > 0 ? x / revenue : 0);
  const revenueByCategory: Record<string, number> = {};
  categories.categories.forEach((c, i) => (revenueByCategory[c] = sums[i]));
  return {
    revenue,
    categorisedShare: share(revenue - sums[other] - sums[k - 1]),
    otherShare: share(sums[other]),
    nonProductShare: share(sums[k - 1]),
    revenueByCategory,
  };
}
