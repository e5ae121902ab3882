// Ingredients as printed, with what each one implies. The generator derives allergens, the dairy/meat/
// pareve designation, cholesterol, added sugars and Passover eligibility from these tags, so the label
// fields of a product can never contradict its ingredient list.

export const ALLERGENS = ['milk', 'eggs', 'fish', 'tree nuts', 'peanuts', 'wheat', 'soy', 'sesame'] as const;
type Allergen = (typeof ALLERGENS)[number];

export interface IngredientDef {
  text: string;
  allergens?: Allergen[];
  dairy?: true;
  meat?: true;
  fish?: true;
  egg?: true;
  /** Leavened grain (or may be): never kosher for Passover. */
  chametz?: true;
  /** Legumes, corn, rice, seeds: not used in Ashkenazi Passover products. */
  kitniyot?: true;
  sweetener?: true;
}

const d = (text: string, tags: Omit<IngredientDef, 'text'> = {}): IngredientDef => ({ text, ...tags });

export const INGREDIENTS = {
  wheatFlour: d(
    'enriched wheat flour (wheat flour, niacin, reduced iron, thiamine mononitrate, riboflavin, folic acid)',
    { allergens: ['wheat'], chametz: true },
  ),
  wholeWheat: d('whole wheat flour', { allergens: ['wheat'], chametz: true }),
  ryeFlour: d('rye flour', { chametz: true }),
  oats: d('rolled oats', { chametz: true }),
  // Flour baked into matzah under supervision within 18 minutes is what Passover matzah is made of.
  matzahFlour: d('unbleached wheat flour', { allergens: ['wheat'] }),
  shmurahFlour: d('shmurah wheat flour', { allergens: ['wheat'] }),
  matzahMeal: d('matzah meal (wheat flour, water)', { allergens: ['wheat'] }),
  water: d('water'),
  sugar: d('sugar', { sweetener: true }),
  caneSugar: d('cane sugar', { sweetener: true }),
  brownSugar: d('brown sugar', { sweetener: true }),
  cornSyrup: d('corn syrup', { sweetener: true, kitniyot: true }),
  hfcs: d('high fructose corn syrup', { sweetener: true, kitniyot: true }),
  honey: d('honey', { sweetener: true }),
  yeast: d('yeast'),
  salt: d('salt'),
  seaSalt: d('sea salt'),
  vegOil: d('vegetable oil (canola and/or sunflower oil)', { kitniyot: true }),
  cottonseedOil: d('cottonseed oil'),
  oliveOil: d('extra virgin olive oil'),
  palmOil: d('palm oil'),
  margarine: d('margarine (palm oil, water, salt, soy lecithin, natural flavor)', {
    allergens: ['soy'],
    kitniyot: true,
  }),
  eggs: d('eggs', { allergens: ['eggs'], egg: true }),
  milk: d('milk', { allergens: ['milk'], dairy: true }),
  nonfatMilk: d('nonfat milk', { allergens: ['milk'], dairy: true }),
  butter: d('butter (cream, salt)', { allergens: ['milk'], dairy: true }),
  whey: d('whey (milk)', { allergens: ['milk'], dairy: true }),
  cream: d('cream', { allergens: ['milk'], dairy: true }),
  creamCheese: d('cream cheese (pasteurized milk and cream, cheese culture, salt, carob bean gum)', {
    allergens: ['milk'],
    dairy: true,
  }),
  mozzarella: d('part-skim mozzarella cheese (pasteurized milk, cultures, salt, enzymes)', {
    allergens: ['milk'],
    dairy: true,
  }),
  cheddar: d('cheddar cheese (pasteurized milk, cheese cultures, salt, enzymes, annatto)', {
    allergens: ['milk'],
    dairy: true,
  }),
  sourCream: d('sour cream powder (cultured cream, nonfat milk)', { allergens: ['milk'], dairy: true }),
  cultures: d('live and active cultures'),
  strawberries: d('strawberries'),
  cocoa: d('cocoa (processed with alkali)'),
  chocLiquor: d('chocolate liquor'),
  chocChips: d('semisweet chocolate chips (sugar, chocolate liquor, cocoa, soy lecithin, vanilla extract)', {
    allergens: ['soy'],
    sweetener: true,
    kitniyot: true,
  }),
  milkChoc: d('milk chocolate (sugar, cocoa butter, whole milk powder, chocolate liquor, soy lecithin, vanilla)', {
    allergens: ['milk', 'soy'],
    dairy: true,
    sweetener: true,
    kitniyot: true,
  }),
  soyLecithin: d('soy lecithin', { allergens: ['soy'], kitniyot: true }),
  vanilla: d('natural vanilla flavor'),
  naturalFlavor: d('natural flavors'),
  bakingSoda: d('baking soda'),
  bakingPowder: d('baking powder (sodium acid pyrophosphate, baking soda, corn starch, monocalcium phosphate)', {
    kitniyot: true,
  }),
  raisins: d('raisins'),
  almonds: d('almonds', { allergens: ['tree nuts'] }),
  hazelnuts: d('hazelnuts', { allergens: ['tree nuts'] }),
  walnuts: d('walnuts', { allergens: ['tree nuts'] }),
  peanuts: d('peanuts', { allergens: ['peanuts'], kitniyot: true }),
  sesame: d('sesame seeds', { allergens: ['sesame'], kitniyot: true }),
  tahini: d('tahini (ground sesame seeds)', { allergens: ['sesame'], kitniyot: true }),
  cinnamon: d('cinnamon'),
  caraway: d('caraway seeds', { kitniyot: true }),
  poppy: d('poppy seeds', { kitniyot: true }),
  wine: d('wine made from grapes'),
  sulfites: d('sulfites'),
  grapeJuice: d('grape juice from concentrate (water, concord grape juice concentrate)'),
  whiteGrapeJuice: d('white grape juice from concentrate (water, white grape juice concentrate)'),
  carbonation: d('carbonated water'),
  citric: d('citric acid'),
  caramelColor: d('caramel color'),
  phosphoric: d('phosphoric acid'),
  caffeine: d('caffeine'),
  lemonJuice: d('lemon juice concentrate'),
  orangeJuice: d('orange juice from concentrate'),
  tea: d('brewed black tea (water, tea leaves)'),
  pectin: d('fruit pectin'),
  apricots: d('dried apricots'),
  dates: d('dates'),
  prunes: d('pitted prunes'),
  figs: d('dried figs'),
  peaches: d('peaches'),
  mandarins: d('mandarin oranges'),
  sulfurDioxide: d('sulfur dioxide (to preserve color)'),
  potatoes: d('potatoes'),
  sweetPotatoes: d('sweet potatoes'),
  sunflowerOil: d('sunflower oil', { kitniyot: true }),
  vinegar: d('vinegar'),
  cucumbers: d('cucumbers'),
  garlic: d('garlic'),
  dill: d('dill'),
  greenBeans: d('green beans'),
  corn: d('sweet corn', { kitniyot: true }),
  cornMeal: d('corn meal', { kitniyot: true }),
  chickpeas: d('chickpeas', { kitniyot: true }),
  tomatoes: d('tomatoes'),
  tomatoConc: d('tomato concentrate'),
  onion: d('onion powder'),
  paprika: d('paprika'),
  spices: d('spices'),
  blackPepper: d('black pepper'),
  chili: d('chili peppers'),
  cumin: d('cumin', { kitniyot: true }),
  coriander: d('coriander', { kitniyot: true }),
  turmeric: d('turmeric'),
  horseradish: d('horseradish'),
  beets: d('beets'),
  mustardSeed: d('mustard seed', { kitniyot: true }),
  beef: d('beef', { meat: true }),
  turkey: d('turkey breast', { meat: true }),
  chicken: d('chicken', { meat: true }),
  sodiumNitrite: d('sodium nitrite'),
  erythorbate: d('sodium erythorbate'),
  tuna: d('light tuna', { allergens: ['fish'], fish: true }),
  salmon: d('pink salmon', { allergens: ['fish'], fish: true }),
  whitefish: d('whitefish', { allergens: ['fish'], fish: true }),
  pike: d('pike', { allergens: ['fish'], fish: true }),
  herring: d('herring', { allergens: ['fish'], fish: true }),
  vegBroth: d('vegetable broth'),
  potatoStarch: d('potato starch'),
  cornStarch: d('corn starch', { kitniyot: true }),
  soySauce: d('soy sauce (water, wheat, soybeans, salt)', {
    allergens: ['wheat', 'soy'],
    chametz: true,
    kitniyot: true,
  }),
} satisfies Record<string, IngredientDef>;

export type IngredientKey = keyof typeof INGREDIENTS;
