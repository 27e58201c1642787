/**
 * How UCI Online Retail's products fall into categories when the data name none: an ordered keyword table
 * for its giftware descriptions (first matching rule wins, so "CHRISTMAS CARD" is seasonal and "LUNCH BAG" a
 * bag), the whole descriptions that are charges rather than goods, and its non-product stock codes. The
 * matching itself is worker/analytics/segments/product-categories (categorizeProducts), which takes these as
 * options: `categorizeProducts(ids, { names, ...ONLINE_RETAIL_CATEGORY_RULES })`.
 */
import { isOnlineRetailNonProductCode } from './online-retail-products';

/**
 * A keyword matches whole words of the upper-cased description with punctuation turned into spaces
 * (T-LIGHT → "T LIGHT"), the last word optionally plural (S or ES). Keywords are '|'-separated.
 */
export const ONLINE_RETAIL_DESCRIPTION_RULES: readonly { category: string; keywords: string }[] = [
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
export const ONLINE_RETAIL_NON_PRODUCT_DESCRIPTIONS: readonly string[] = [
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
];

/** The options of categorizeProducts for Online Retail (and for any data whose products lack a category). */
export const ONLINE_RETAIL_CATEGORY_RULES: {
  rules: readonly { category: string; keywords: string }[];
  nonProductDescriptions: readonly string[];
  isNonProduct: (productId: string) => boolean;
} = {
  rules: ONLINE_RETAIL_DESCRIPTION_RULES,
  nonProductDescriptions: ONLINE_RETAIL_NON_PRODUCT_DESCRIPTIONS,
  isNonProduct: isOnlineRetailNonProductCode,
};
