// Product categories of the synthetic catalog: the bracha each takes, how it is packed and sized, a
// nutrition profile per 100 g (or 100 mL), and its varieties with their ingredients in label order.
// Condiments and spices have no bracha of their own (eaten with other food), so theirs is null.
import type { Bracha } from '../catalog/index.ts';
import type { IngredientKey } from './ingredients.ts';

export type Shape = 'box' | 'bag' | 'bottle' | 'can' | 'jar' | 'tub' | 'tray';

export interface Per100 {
  fat: number;
  carbs: number;
  protein: number;
  sugarShare: number; // share of carbohydrate that is sugars
  fiber: number;
  sodium: number;
  satShare: number; // share of fat that is saturated
}

export interface Variety {
  en: string;
  he: string;
  ingredients: IngredientKey[];
  per100?: Partial<Per100>;
  /** When the category's serving does not fit this variety (cream cheese is not eaten by the tub). */
  serving?: { grams: number; text: string };
}

export interface CategoryDef {
  en: string;
  he: string;
  bracha: Bracha | null;
  shape: Shape;
  liquid: boolean;
  /** Package sizes: ounces for solids, millilitres for liquids. */
  sizes: number[];
  serving: { grams: number; text: string } | null;
  per100: Per100;
  /** Chance that a product free of chametz and kitniyot is certified for Passover. */
  passover: number;
  blurbs: string[];
  varieties: Variety[];
}

const v = (
  en: string,
  he: string,
  ingredients: string,
  per100?: Partial<Per100>,
  serving?: Variety['serving'],
): Variety => ({ en, he, ingredients: ingredients.split(' ') as IngredientKey[], per100, serving });
const p = (
  fat: number,
  carbs: number,
  protein: number,
  sugarShare: number,
  fiber: number,
  sodium: number,
  satShare: number,
): Per100 => ({ fat, carbs, protein, sugarShare, fiber, sodium, satShare });

export const CATEGORIES = {
  bread: {
    en: 'Bread',
    he: 'לחם',
    bracha: 'hamotzi',
    shape: 'bag',
    liquid: false,
    sizes: [16, 20, 24],
    serving: { grams: 56, text: '2 slices (56g)' },
    per100: p(3.5, 49, 9, 0.1, 3, 480, 0.2),
    passover: 0,
    blurbs: ['Soft, sliced and baked fresh every morning.', 'A bakery loaf for sandwiches and toast.'],
    varieties: [
      v('White Sandwich Bread', 'לחם לבן', 'wheatFlour water sugar yeast vegOil salt'),
      v('Whole Wheat Bread', 'לחם מחיטה מלאה', 'wholeWheat water honey yeast vegOil salt', { fiber: 7 }),
      v('Challah', 'חלה', 'wheatFlour water sugar eggs vegOil yeast salt', { sugarShare: 0.15 }),
      v('Seeded Rye Bread', 'לחם שיפון', 'wheatFlour ryeFlour water yeast caraway salt'),
      v('Sesame Bagels', 'בייגל שומשום', 'wheatFlour water sugar yeast salt sesame'),
      v('Pita Bread', 'פיתות', 'wheatFlour water yeast salt sugar'),
    ],
  },
  matzah: {
    en: 'Matzah',
    he: 'מצות',
    bracha: 'hamotzi',
    shape: 'box',
    liquid: false,
    sizes: [10.5, 16, 80],
    serving: { grams: 28, text: '1 board (28g)' },
    per100: p(1.5, 84, 10, 0, 3, 2, 0.2),
    passover: 1,
    blurbs: ['Baked under supervision from the time of harvest.', 'Thin, crisp and baked in 18 minutes.'],
    varieties: [
      v('Plain Matzos', 'מצות', 'matzahFlour water'),
      v('Shmurah Matzah', 'מצה שמורה', 'shmurahFlour water'),
      v('Whole Wheat Matzos', 'מצות מחיטה מלאה', 'matzahFlour water', { fiber: 9 }),
    ],
  },
  cookies: {
    en: 'Cookies',
    he: 'עוגיות',
    bracha: 'mezonos',
    shape: 'box',
    liquid: false,
    sizes: [7, 8, 10, 12, 14],
    serving: { grams: 30, text: '3 cookies (30g)' },
    per100: p(22, 66, 5, 0.5, 2, 300, 0.4),
    passover: 0,
    blurbs: ['Crisp cookies baked the old-fashioned way.', 'A box for the Shabbos table and the lunch bag.'],
    varieties: [
      v(
        'Chocolate Chip Cookies',
        'עוגיות שוקולד צ׳יפס',
        'wheatFlour chocChips sugar margarine eggs bakingSoda salt vanilla',
      ),
      v('Butter Cookies', 'עוגיות חמאה', 'wheatFlour butter sugar eggs salt vanilla'),
      v('Vanilla Sandwich Cremes', 'עוגיות קרם וניל', 'wheatFlour sugar palmOil cornStarch salt soyLecithin vanilla'),
      v(
        'Oatmeal Raisin Cookies',
        'עוגיות שיבולת שועל וצימוקים',
        'oats wheatFlour brownSugar raisins margarine eggs cinnamon bakingSoda',
        { fiber: 4 },
      ),
      v('Almond Biscotti', 'ביסקוטי שקדים', 'wheatFlour sugar almonds eggs bakingPowder vanilla'),
      v('Tea Biscuits', 'ביסקוויט', 'wheatFlour sugar palmOil salt bakingSoda vanilla'),
    ],
  },
  crackers: {
    en: 'Crackers',
    he: 'קרקרים',
    bracha: 'mezonos',
    shape: 'box',
    liquid: false,
    sizes: [4.5, 6, 8, 10],
    serving: { grams: 30, text: '5 crackers (30g)' },
    per100: p(16, 68, 9, 0.1, 3, 800, 0.3),
    passover: 0,
    blurbs: ['Light and crisp, for dips and spreads.', 'Baked crackers with a satisfying snap.'],
    varieties: [
      v('Sea Salt Crackers', 'קרקר מלח ים', 'wheatFlour vegOil seaSalt yeast bakingSoda'),
      v('Everything Crackers', 'קרקר הכל', 'wheatFlour vegOil sesame poppy garlic onion salt'),
      v('Cheddar Crackers', 'קרקר צ׳דר', 'wheatFlour cheddar vegOil salt paprika', { satShare: 0.45 }),
      v('Whole Wheat Crackers', 'קרקר חיטה מלאה', 'wholeWheat vegOil sugar salt', { fiber: 8 }),
      v('Mini Pretzels', 'בייגלה', 'wheatFlour salt vegOil yeast bakingSoda', { fat: 3 }),
    ],
  },
  cake: {
    en: 'Cake',
    he: 'עוגה',
    bracha: 'mezonos',
    shape: 'box',
    liquid: false,
    sizes: [12, 14, 16],
    serving: { grams: 56, text: '1 slice (56g)' },
    per100: p(15, 55, 5, 0.55, 1, 300, 0.35),
    passover: 0,
    blurbs: ['Moist, rich and ready to serve.', 'Baked in small batches from a family recipe.'],
    varieties: [
      v('Marble Cake', 'עוגת שיש', 'wheatFlour sugar eggs vegOil cocoa bakingPowder salt vanilla'),
      v('Honey Cake', 'עוגת דבש', 'wheatFlour honey sugar eggs vegOil cinnamon bakingSoda'),
      v('Chocolate Babka', 'בבקה שוקולד', 'wheatFlour sugar butter milk eggs cocoa yeast salt'),
      v('Cinnamon Rugelach', 'רוגלך קינמון', 'wheatFlour creamCheese butter sugar cinnamon walnuts'),
      v('Sponge Cake', 'עוגת ספוג', 'wheatFlour sugar eggs vegOil lemonJuice bakingPowder'),
    ],
  },
  wine: {
    en: 'Wine',
    he: 'יין',
    bracha: 'hagafen',
    shape: 'bottle',
    liquid: true,
    sizes: [750, 1500],
    serving: null,
    per100: p(0, 0, 0, 0, 0, 0, 0),
    passover: 0.8, // alcohol: no Nutrition Facts panel
    blurbs: ['Aged in oak and bottled at the winery.', 'Fruit-forward and smooth.'],
    varieties: [
      v('Cabernet Sauvignon', 'קברנה סוביניון', 'wine sulfites'),
      v('Merlot', 'מרלו', 'wine sulfites'),
      v('Moscato', 'מוסקטו', 'wine sulfites'),
      v('Concord Grape Wine', 'יין ענבים מתוק', 'wine sugar sulfites'),
      v('Sauvignon Blanc', 'סוביניון בלאן', 'wine sulfites'),
    ],
  },
  grape_juice: {
    en: 'Grape Juice',
    he: 'מיץ ענבים',
    bracha: 'hagafen',
    shape: 'bottle',
    liquid: true,
    sizes: [946, 1500, 1892],
    serving: { grams: 240, text: '8 fl oz (240mL)' },
    per100: p(0, 15.5, 0.3, 0.95, 0, 5, 0),
    passover: 0.7,
    blurbs: ['Pressed from ripe grapes and pasteurized.', 'For kiddush and for the kids.'],
    varieties: [
      v('Concord Grape Juice', 'מיץ ענבים סגול', 'grapeJuice'),
      v('White Grape Juice', 'מיץ ענבים לבן', 'whiteGrapeJuice'),
      v('Sparkling Grape Juice', 'מיץ ענבים מוגז', 'grapeJuice carbonation'),
      v('Light Grape Juice', 'מיץ ענבים קל', 'water grapeJuice', { carbs: 7 }),
    ],
  },
  fruit: {
    en: 'Fruit',
    he: 'פירות',
    bracha: 'haetz',
    shape: 'bag',
    liquid: false,
    sizes: [6, 8, 12, 16],
    serving: { grams: 40, text: '1/4 cup (40g)' },
    per100: p(0.5, 63, 3, 0.85, 7, 10, 0.1),
    passover: 0.5,
    blurbs: ['Sun-dried and packed without fuss.', 'Naturally sweet fruit for snacking and baking.'],
    varieties: [
      v('Dried Apricots', 'משמש מיובש', 'apricots sulfurDioxide'),
      v('Medjool Dates', 'תמרי מג׳הול', 'dates'),
      v('Pitted Prunes', 'שזיפים מיובשים', 'prunes'),
      v('Raisins', 'צימוקים', 'raisins'),
      v('Dried Figs', 'תאנים מיובשות', 'figs'),
      v('Peaches in Light Syrup', 'אפרסקים בסירופ', 'peaches water sugar', { carbs: 15, fiber: 1 }),
    ],
  },
  vegetables: {
    en: 'Vegetables',
    he: 'ירקות',
    bracha: 'haadama',
    shape: 'can',
    liquid: false,
    sizes: [14.5, 15, 28, 32],
    serving: { grams: 125, text: '1/2 cup (125g)' },
    per100: p(0.2, 6, 1.5, 0.3, 2.5, 400, 0.2),
    passover: 0.5,
    blurbs: ['Picked at peak season and packed the same day.', 'Ready for salads, sides and cholent.'],
    varieties: [
      v('Cut Green Beans', 'שעועית ירוקה', 'greenBeans water salt'),
      v('Whole Kernel Corn', 'תירס', 'corn water salt sugar', { carbs: 13 }),
      v('Kosher Dill Pickles', 'מלפפונים בשמיר', 'cucumbers water vinegar salt garlic dill', { sodium: 900 }),
      v('Pickles in Brine', 'מלפפונים במלח', 'cucumbers water salt garlic dill chili', { sodium: 1000 }),
      v('Chickpeas', 'חומוס גרגרים', 'chickpeas water salt', { carbs: 20, protein: 6, fiber: 5 }),
      v('Diced Tomatoes', 'עגבניות חתוכות', 'tomatoes tomatoConc salt citric'),
    ],
  },
  chips: {
    en: 'Potato Chips',
    he: 'צ׳יפס',
    bracha: 'haadama',
    shape: 'bag',
    liquid: false,
    sizes: [1, 5, 7.5, 9],
    serving: { grams: 28, text: '1 oz (28g/about 15 chips)' },
    per100: p(34, 53, 6.5, 0.02, 4, 520, 0.15),
    passover: 0.3,
    blurbs: ['Kettle-cooked in small batches.', 'Thin, crunchy and perfectly salted.'],
    varieties: [
      v('Classic Potato Chips', 'צ׳יפס קלאסי', 'potatoes cottonseedOil salt'),
      v('Salt & Vinegar Chips', 'צ׳יפס מלח וחומץ', 'potatoes cottonseedOil vinegar salt'),
      v('Barbecue Chips', 'צ׳יפס ברביקיו', 'potatoes sunflowerOil sugar paprika onion garlic salt'),
      v('Sour Cream & Onion Chips', 'צ׳יפס שמנת ובצל', 'potatoes sunflowerOil sourCream whey onion salt'),
      v('Sweet Potato Chips', 'צ׳יפס בטטה', 'sweetPotatoes cottonseedOil seaSalt'),
    ],
  },
  snacks: {
    en: 'Snacks',
    he: 'חטיפים',
    bracha: 'shehakol',
    shape: 'bag',
    liquid: false,
    sizes: [1, 2.8, 3.5, 7],
    serving: { grams: 28, text: '1 oz (28g)' },
    per100: p(30, 55, 10, 0.05, 3, 400, 0.3),
    passover: 0,
    blurbs: ['Light, airy and hard to stop eating.', 'A crunchy puffed snack.'],
    varieties: [
      v('Peanut Puffs', 'חטיף בוטנים', 'cornMeal peanuts palmOil salt'),
      v('Cheese Puffs', 'חטיף גבינה', 'cornMeal vegOil whey cheddar salt'),
      v('Nougat Filled Pillows', 'כריות במילוי נוגט', 'cornMeal sugar palmOil hazelnuts cocoa soyLecithin', {
        sugarShare: 0.4,
      }),
    ],
  },
  drinks: {
    en: 'Beverages',
    he: 'משקאות',
    bracha: 'shehakol',
    shape: 'bottle',
    liquid: true,
    sizes: [355, 500, 1000, 2000],
    serving: { grams: 355, text: '12 fl oz (355mL)' },
    per100: p(0, 10.5, 0, 1, 0, 10, 0),
    passover: 0.4,
    blurbs: ['Best served ice cold.', 'Crisp, bubbly refreshment.'],
    varieties: [
      v('Lemon-Lime Soda', 'משקה לימון ליים', 'carbonation caneSugar citric naturalFlavor'),
      v('Cola', 'קולה', 'carbonation hfcs caramelColor phosphoric naturalFlavor caffeine'),
      v('Seltzer', 'סודה', 'carbonation', { carbs: 0, sodium: 0 }),
      v('Iced Tea with Lemon', 'תה קר לימון', 'tea caneSugar lemonJuice citric', { carbs: 8 }),
      v('Orange Drink', 'משקה תפוזים', 'water orangeJuice sugar citric naturalFlavor', { carbs: 11 }),
    ],
  },
  candy: {
    en: 'Candy',
    he: 'ממתקים',
    bracha: 'shehakol',
    shape: 'bag',
    liquid: false,
    sizes: [1.5, 3.5, 5, 7],
    serving: { grams: 40, text: '1 bar (40g)' },
    per100: p(30, 60, 6, 0.85, 3, 50, 0.6),
    passover: 0.4,
    blurbs: ['A sweet treat for every simcha.', 'Made with real cocoa.'],
    varieties: [
      v('Milk Chocolate Bar', 'שוקולד חלב', 'milkChoc'),
      v('Dark Chocolate Bar', 'שוקולד מריר', 'chocLiquor sugar cocoa vanilla', { fiber: 8 }),
      v('Fruit Jellies', 'ג׳לי פירות', 'sugar water pectin citric naturalFlavor', { fat: 0, protein: 0, fiber: 0 }),
      v('Sesame Halva', 'חלבה', 'tahini sugar vanilla', { protein: 12 }),
      v('Chocolate Covered Almonds', 'שקדים בשוקולד', 'milkChoc almonds'),
      v('Chocolate Coins', 'מטבעות שוקולד', 'milkChoc'),
    ],
  },
  dairy: {
    en: 'Dairy',
    he: 'מוצרי חלב',
    bracha: 'shehakol',
    shape: 'tub',
    liquid: false,
    sizes: [5.3, 6, 8, 16, 32],
    serving: { grams: 170, text: '1 container (170g)' },
    per100: p(4, 6, 8, 0.7, 0, 100, 0.65),
    passover: 0,
    blurbs: ['From cows milked under supervision.', 'Fresh, creamy and cultured.'],
    varieties: [
      v('Plain Yogurt', 'יוגורט טבעי', 'milk cultures'),
      v('Strawberry Yogurt', 'יוגורט תות', 'milk sugar strawberries pectin cultures', { carbs: 14 }),
      v(
        'Cream Cheese',
        'גבינת שמנת',
        'creamCheese',
        { fat: 34, carbs: 4, protein: 6, sodium: 320 },
        { grams: 28, text: '2 tbsp (28g)' },
      ),
      v(
        'Shredded Mozzarella',
        'מוצרלה מגוררת',
        'mozzarella potatoStarch',
        { fat: 20, carbs: 3, protein: 24, sodium: 620 },
        { grams: 28, text: '1/4 cup (28g)' },
      ),
      v(
        'Cottage Cheese',
        'קוטג׳',
        'nonfatMilk cream salt cultures',
        { fat: 4.5, carbs: 3.5, protein: 11, sodium: 360 },
        { grams: 113, text: '1/2 cup (113g)' },
      ),
    ],
  },
  meat: {
    en: 'Deli & Meat',
    he: 'נקניקים ובשר',
    bracha: 'shehakol',
    shape: 'tray',
    liquid: false,
    sizes: [6, 12, 16],
    serving: { grams: 56, text: '2 oz (56g)' },
    per100: p(20, 2, 16, 0.5, 0, 1000, 0.4),
    passover: 0,
    blurbs: ['Glatt kosher, sliced thin.', 'Slow-cured with garlic and spices.'],
    varieties: [
      v('Beef Salami', 'סלמי בקר', 'beef water salt garlic spices paprika sodiumNitrite erythorbate'),
      v('Smoked Turkey Breast', 'חזה הודו מעושן', 'turkey water salt sugar sodiumNitrite', { fat: 2, protein: 20 }),
      v('Beef Franks', 'נקניקיות בקר', 'beef water salt paprika garlic spices sodiumNitrite'),
      v('Pastrami', 'פסטרמה', 'beef water salt blackPepper coriander garlic sodiumNitrite', { fat: 10, protein: 20 }),
      v('Chicken Schnitzel', 'שניצל עוף', 'chicken wheatFlour eggs water vegOil salt paprika', {
        fat: 12,
        carbs: 14,
        protein: 18,
      }),
    ],
  },
  fish: {
    en: 'Fish',
    he: 'דגים',
    bracha: 'shehakol',
    shape: 'can',
    liquid: false,
    sizes: [5, 6, 14.75, 24],
    serving: { grams: 56, text: '2 oz (56g)' },
    per100: p(3, 2, 22, 0.5, 0, 350, 0.25),
    passover: 0.5,
    blurbs: ['Wild caught and packed with care.', 'An old-country recipe.'],
    varieties: [
      v('Chunk Light Tuna in Water', 'טונה בהירה במים', 'tuna water salt vegBroth', { fat: 1 }),
      v('Gefilte Fish', 'גפילטע פיש', 'whitefish pike water eggs matzahMeal sugar salt onion', {
        carbs: 10,
        protein: 12,
      }),
      v('Pink Salmon', 'סלמון ורוד', 'salmon salt', { fat: 6, carbs: 0 }),
      v('Herring in Wine Sauce', 'הרינג ברוטב יין', 'herring water vinegar sugar onion salt spices', {
        fat: 10,
        carbs: 12,
        protein: 12,
      }),
    ],
  },
  condiments: {
    en: 'Condiments',
    he: 'רטבים',
    bracha: null,
    shape: 'jar',
    liquid: false,
    sizes: [8, 12, 16, 20],
    serving: { grams: 15, text: '1 tbsp (15g)' },
    per100: p(5, 20, 1, 0.7, 0.5, 900, 0.1),
    passover: 0.5,
    blurbs: ['Made for the grill and the Shabbos table.', 'A spoonful of flavour.'],
    varieties: [
      v('Tomato Ketchup', 'קטשופ', 'tomatoConc vinegar sugar salt onion spices', { fat: 0 }),
      v('Mayonnaise', 'מיונז', 'vegOil water eggs vinegar salt lemonJuice', {
        fat: 75,
        carbs: 1,
        protein: 1,
        sugarShare: 0.5,
      }),
      v('Prepared Horseradish', 'חריין', 'horseradish beets vinegar sugar salt', { fat: 0 }),
      v('Tahini Sauce', 'טחינה', 'tahini water lemonJuice garlic salt', {
        fat: 50,
        carbs: 10,
        protein: 17,
        sugarShare: 0.05,
      }),
      v('Hot Schug', 'סחוג', 'chili garlic coriander cumin oliveOil salt', { fat: 10, carbs: 8, sugarShare: 0.2 }),
      v('Honey Mustard', 'חרדל דבש', 'water mustardSeed honey vinegar salt turmeric'),
    ],
  },
  spices: {
    en: 'Spices',
    he: 'תבלינים',
    bracha: null,
    shape: 'jar',
    liquid: false,
    sizes: [1.5, 2, 2.5, 4],
    serving: { grams: 0.5, text: '1/4 tsp (0.5g)' },
    per100: p(10, 60, 10, 0.1, 25, 50, 0.1),
    passover: 0.5,
    blurbs: ['Ground fresh and sealed for aroma.', 'From the spice market.'],
    varieties: [
      v('Ground Cinnamon', 'קינמון טחון', 'cinnamon'),
      v('Sweet Paprika', 'פפריקה מתוקה', 'paprika'),
      v('Ground Cumin', 'כמון טחון', 'cumin'),
      v('Garlic Powder', 'אבקת שום', 'garlic'),
      v('Baking Powder', 'אבקת אפייה', 'bakingPowder'),
      v('Potato Starch', 'קמח תפוחי אדמה', 'potatoStarch'),
    ],
  },
} satisfies Record<string, CategoryDef>;

export type CategoryKey = keyof typeof CATEGORIES;

/** Name modifiers that do not change the recipe: they keep product names of one brand apart. */
export const NAME_MODIFIERS = [
  'Classic',
  'Family Size',
  'Mini',
  'Organic',
  'Premium',
  'Original',
  'Value Pack',
  'Deluxe',
  'Twin Pack',
  'Homestyle',
];
