/**
 * Product → category, for interest segments and category features:
 * (a) an explicit category when the data has one (CRM Product.category, the demo catalogue);
 * (b) otherwise from the description by an ordered keyword table written for giftware retail such as UCI
 *     Online Retail (first matching rule wins, so "CHRISTMAS CARD" is seasonal and "LUNCH BAG" a bag);
 * (c) non-product stock codes (postage, discounts, fees, manual adjustments, gift vouchers) → 'Non-product'.
 * Anything unmatched is 'Other'. Categories are decided once per product, not per line.
 */
import { PRODUCT_CATALOGUE } from '../../../demo-data/product-catalogue';

export const OTHER_CATEGORY = 'Other';
export const NON_PRODUCT_CATEGORY = 'Non-product';

/**
 * Ordered rules for descriptions: a keyword matches whole words of the upper-cased description with
 * punctuation turned into spaces (T-LIGHT → "T LIGHT"), the last word optionally plural (S or ES).
 * Keywords are '|'-separated.
 */
export const DESCRIPTION_RULES: readonly { category: string; keywords: string }[] = [
  {
    category: 'Christmas & seasonal',
    keywords:
      'CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER|SNOWMAN|SNOWFLAKE|NATIVITY|BAUBLE|EASTER|HALLOWEEN|' +
      'VALENTINE|STOCKING',
  },
  {
    category: 'Bags',
    keywords: 'BAG|TOTE|SHOPPER|BACKPACK|RUCKSACK|HANDBAG|SATCHEL',
  },
  // Wall and door items first: "BATHROOM METAL SIGN" and "BOTANICAL GARDENS WALL CLOCK" are decor.
  {
    category: 'Home decor',
    keywords: 'SIGN|DOORSIGN|FRAME|PHOTOFRAME|CLOCK|DOORMAT|CARD HOLDER|BUILDING BLOCK WORD',
  },
  {
    category: 'Jewellery & accessories',
    keywords: 'CARD WALLET|LUGGAGE TAG|PASSPORT COVER',
  },
  {
    category: 'Candles & lighting',
    keywords:
      'CANDLE|CANDLEHOLDER|CANDLESTICK|CANDLEPOT|T LIGHT|TLIGHT|TEA LIGHT|TEALIGHT|LANTERN|' +
      'LIGHT|LAMP|LAMPSHADE|LED|NIGHTLIGHT|INCENSE|OIL BURNER|MATCHES',
  },
  {
    category: 'Party & celebrations',
    keywords:
      'BUNTING|PARTY|BALLOON|BIRTHDAY|POPCORN|CONFETTI|STRAW|CAKE CASES|INVITE|GARLAND|' +
      'PAPER CHAIN|WEDDING|NAPKIN|PAPER PLATE|PAPER CUP|ROSETTE|PENNANT|FLAG|COCKTAIL',
  },
  {
    category: 'Toys & games',
    keywords:
      'TOY|GAME|PUZZLE|JIGSAW|DOLL|DOLLCRAFT|SKIPPING ROPE|HARMONICA|PLAYHOUSE|DOMINOES|TEDDY|' +
      'SOLDIER|SKITTLES|SPINNING TOP|BALL|KITE|BUBBLES|MAGIC|MARBLES|SNAKES|LADDERS|' +
      'PLAYING CARDS|SNAP CARDS|CARD GAME|NINJA|DINOSAUR|ROBOT|RATTLE|BEANBAG|YOYO|YO YO|PINATA|' +
      'TRAIN|TEA SET|SOFT TOY|PUPPET|BINGO|LUDO|NAUGHTS|NOUGHTS|BUILDING BLOCK|MODELLING CLAY|' +
      'ROCKING HORSE|GLIDER|HELICOPTER|CREEPY CRAWLIES|TATTOO|BABY GIFT SET|FOR CHILDREN|' +
      'SCHOOL DESK',
  },
  {
    category: 'Kitchen & dining',
    keywords:
      'MUG|CUP|TEACUP|SAUCER|TEA|TEAPOT|COFFEE|PLATE|BOWL|CAKESTAND|CAKE STAND|CAKE TIN|BAKING|' +
      'BAKE|JAM|JAR|JAMPOT|LUNCH BOX|SNACK BOX|RECIPE|PANTRY|TRAY|CUTLERY|SPOON|FORK|KNIFE|' +
      'KITCHEN|APRON|OVEN GLOVE|OVEN MITT|TEA TOWEL|JUG|BEAKER|TUMBLER|COASTER|PLACEMAT|SUGAR|' +
      'EGG|BREAD|BISCUIT|CHOPPING BOARD|TOAST|TOASTRACK|MILK|LOLLY|ICE|DISH|FLASK|GLASS|WINE|' +
      'CHAMPAGNE|COOKIE|CUTTER|PUDDING|CAKE|CUPCAKE|DOILY|DOILIES|WASHING UP|SCALES|TIMER|' +
      'COLANDER|SIEVE|FOOD|PICNIC|MOULD|CHOCOLATE|JELLY|FRYING PAN|TABLECLOTH|SALT|PEPPER|' +
      'CHOPSTICK|COOKING|CANISTER|CANNISTER|CONTAINER|BREAKFAST',
  },
  {
    category: 'Cards & wrapping',
    keywords: 'CARD|GREETING|WRAP|WRAPPING|GIFT TAG|TAG|RIBBON|PAPER|TISSUE|ENVELOPE|GIFT BOX|TAPE',
  },
  {
    category: 'Stationery & craft',
    keywords:
      'NOTEBOOK|PEN|PENCIL|ERASER|RUBBER|STICKER|JOURNAL|DIARY|CALENDAR|MEMO|NOTE|NOTEPAD|' +
      'CRAYON|CHALK|RULER|SHARPENER|BOOK|BOOKMARK|STAMP|SEWING|KNITTING|CRAFT|FELTCRAFT|BUTTON|' +
      'STENCIL|SCISSOR|GLUE|PAINT|COLOURING|ALBUM|ORGANISER|CLIPBOARD|MAGNET|STATIONERY|' +
      'POSTCARD|SKETCHBOOK|WRITING SET|REPAIR KIT',
  },
  {
    category: 'Garden & outdoor',
    keywords:
      'GARDEN|PLANT|PLANTER|FLOWER POT|POT|WATERING CAN|BIRD HOUSE|BIRDHOUSE|BIRD FEEDER|FEEDER|' +
      'SEED|TROWEL|HAMMOCK|GNOME|WINDMILL|GARDENERS|HERB|OUTDOOR|BIRD TABLE|THERMOMETER|GLOVES|' +
      'TWINE',
  },
  {
    category: 'Jewellery & accessories',
    keywords:
      'JEWEL|JEWELLERY|JEWELRY|NECKLACE|EARRING|BRACELET|RING|HAIR|CLIP|SLIDE|BANGLE|BROOCH|' +
      'CHARM|PURSE|WALLET|UMBRELLA|PARASOL|SCARF|KEYRING|KEY RING|KEY FOB|SUNGLASSES|HAT|TIARA|' +
      'DIAMANTE|BEAD|PENDANT|HAIRCLIP|HAIRBAND|HANDWARMER|HAND WARMER|COMPACT MIRROR|' +
      'POCKET MIRROR|FAN|PONCHO|RAIN MAC|SOMBRERO|SLIPPER|SOCK|BIB|BADGE',
  },
  {
    category: 'Bath & beauty',
    keywords:
      'SOAP|BATH|BATHROOM|TOILET|TOILETRY|SPONGE|COSMETIC|MAKE UP|MAKEUP|LIP GLOSS|NAIL|PERFUME|' +
      'WASHBAG|SHOWER|TOOTHBRUSH|PLASTERS|FIRST AID',
  },
  {
    category: 'Home textiles',
    keywords:
      'CUSHION|BLANKET|THROW|HOT WATER BOTTLE|QUILT|TOWEL|CURTAIN|PILLOW|FLANNEL|DOORSTOP|' +
      'DOOR STOP|PADS|FILLER PAD|FELT|FABRIC|KNITTED|MAT|POUFFE',
  },
  {
    category: 'Storage & organisation',
    keywords:
      'STORAGE|BOX|TIN|BASKET|DRAWER|HOOK|COAT RACK|RACK|SHELF|CABINET|CHEST|HOLDER|CASE|CRATE|' +
      'HAMPER|TRUNK|PEG|BIN|LOCKER|CADDY|SUITCASE|WALL TIDY',
  },
  {
    category: 'Home decor',
    keywords:
      'HEART|ORNAMENT|DECORATION|HANGING|WREATH|VASE|MIRROR|CHALKBOARD|BLACKBOARD|BLACK BOARD|' +
      'MEMOBOARD|WALL|PLAQUE|BELL|BIRD|GLOBE|PICTURE|PHOTO|WICKER|CHIME|MOBILE|FEATHER|DOOR|ART|' +
      'PRINT|POSTER|CANVAS|LETTER|ALPHABET|BOTTLE OPENER|FLOWER|ROSE|BUTTERFLY|BIRDIE|DOVE|' +
      'CHANDELIER|CANDELABRA|STAR|ANGEL|HOME|KNOB|DRAWERKNOB|STAND|SCULPTURE|FIGURE|STATUE|' +
      'CERAMIC|ENAMEL|WOODEN|ZINC|METAL|DECORATIVE|FLYING DUCKS',
  },
];

/** Whole descriptions that are charges or bookkeeping, not merchandise (when the stock code does not say). */
const NON_PRODUCT_DESCRIPTIONS = new Set([
  'POSTAGE',
  'DOTCOM POSTAGE',
  'CARRIAGE',
  'NEXT DAY CARRIAGE',
  'MANUAL',
  'DISCOUNT',
  'BANK CHARGES',
  'AMAZON FEE',
  'ADJUST BAD DEBT',
  'CRUK COMMISSION',
  'SAMPLES',
]);

/** Stock codes that are not merchandise (Online Retail's README and the codes seen in the file). */
const NON_PRODUCT_CODES = new Set([
  'POST',
  'DOT',
  'D',
  'M',
  'BANK CHARGES',
  'AMAZONFEE',
  'C2',
  'CRUK',
  'S',
  'B',
]);

export function isNonProductCode(stockCode: string): boolean {
  const code = stockCode.trim().toUpperCase();
  // gift_0001_10 … are gift vouchers: money, not merchandise.
  return NON_PRODUCT_CODES.has(code) || code.startsWith('GIFT_');
}

type CompiledRule = { category: string; pattern: RegExp };

function escapeWord(word: string): string {
  return word.replace(/[^A-Z0-9 ]/g, '');
}

const COMPILED: readonly CompiledRule[] = DESCRIPTION_RULES.map(({ category, keywords }) => ({
  category,
  // " KW " against " DESCRIPTION ": spaces as word bounds; (?:S|ES)? lets the last word be plural.
  pattern: new RegExp(` (?:${keywords.split('|').map(escapeWord).join('|')})(?:S|ES)? `),
}));

/** " WORD WORD " — upper case, anything not a letter or digit a space, single spaces. */
function normalizeDescription(description: string): string {
  return ` ${description
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()} `;
}

/** Category of one product from its stock code and description (rules (b) and (c)). */
export function categoryOfDescription(description: string, stockCode = ''): string {
  if (stockCode && isNonProductCode(stockCode)) return NON_PRODUCT_CATEGORY;
  const text = normalizeDescription(description);
  if (text.length <= 2) return OTHER_CATEGORY;
  if (NON_PRODUCT_DESCRIPTIONS.has(text.trim())) return NON_PRODUCT_CATEGORY;
  for (const rule of COMPILED) if (rule.pattern.test(text)) return rule.category;
  return OTHER_CATEGORY;
}

export type ProductCategories = {
  /** Named categories first (rule-table order, then explicit ones as first seen), then Other, Non-product. */
  categories: string[];
  /** Per product (same index as CleanResult.products): index into `categories`. */
  productCategory: Int32Array;
  /** Per product: how its category was decided. */
  source: ('explicit' | 'description' | 'stock-code' | 'none')[];
};

export type CategorizeOptions = {
  /** Descriptions per product (CleanResult.productNames). */
  names?: readonly string[];
  /** Explicit category by product id (wins over the description); '' or missing → rules. */
  explicit?: ReadonlyMap<string, string>;
};

/**
 * Categories of every product (ids as CleanResult.products, names as CleanResult.productNames).
 * Example: categorizeProducts(['85123A'], { names: ['WHITE HANGING HEART T-LIGHT HOLDER'] })
 *   → productCategory [index of 'Candles & lighting']
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
    if (isNonProductCode(id)) {
      labels[p] = NON_PRODUCT_CATEGORY;
      source[p] = 'stock-code';
      continue;
    }
    const name = options.names?.[p] ?? '';
    labels[p] = name ? categoryOfDescription(name) : OTHER_CATEGORY;
    source[p] = name ? 'description' : 'none';
  }
  const present = new Set(labels);
  const ruleCategories = DESCRIPTION_RULES.map((r) => r.category);
  const named = [...new Set([...ruleCategories.filter((c) => present.has(c)), ...explicitSeen])].filter(
    (c) => c !== OTHER_CATEGORY && c !== NON_PRODUCT_CATEGORY,
  );
  const categories = [...named, OTHER_CATEGORY, NON_PRODUCT_CATEGORY];
  const index = new Map(categories.map((c, i) => [c, i]));
  const productCategory = new Int32Array(n);
  for (let p = 0; p < n; p++) productCategory[p] = index.get(labels[p])!;
  return { categories, productCategory, source };
}

/** The demo shop's catalogue (worker/analytics/simulate) as explicit categories by product id. */
export function demoCatalogueCategories(): Map<string, string> {
  return new Map(PRODUCT_CATALOGUE.map((p) => [p.id, p.category]));
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
