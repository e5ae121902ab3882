// The printed numbers of a label: net weight/volume and the Nutrition Facts panel, rounded the way the
// FDA rounding rules print them. Calories are computed from the *rounded* fat, carbohydrate and protein,
// so 9·fat + 4·carbs + 4·protein always lands within the calorie rounding step (±5) of the printed value.
import type { NutritionFacts } from '../catalog/index.ts';
import type { CategoryDef, Per100, Variety } from './catalog-data.ts';
import type { Rng } from './random.ts';

const G_PER_OZ = 28.3495;
const ML_PER_FLOZ = 29.5735;

const num = (n: number): string => String(Math.round(n * 100) / 100);
const metricMass = (g: number): string => (g >= 1000 ? `${num(g / 1000)}kg` : `${g}g`);
const metricVolume = (ml: number): string => (ml >= 1000 ? `${num(ml / 1000)} L` : `${ml} mL`);

/** Net contents as printed; US labels lead with ounces, the rest of the world with metric. */
export function netContents(
  cat: CategoryDef,
  size: number,
  metricFirst: boolean,
  wine: boolean,
): { text: string; grams: number } {
  if (cat.liquid) {
    const floz = num(Math.round((size / ML_PER_FLOZ) * 10) / 10);
    if (wine) return { text: metricVolume(size), grams: size };
    const text = metricFirst ? `${metricVolume(size)} (${floz} FL OZ)` : `${floz} FL OZ (${metricVolume(size)})`;
    return { text, grams: size };
  }
  if (metricFirst) {
    const g = Math.round((size * G_PER_OZ) / 5) * 5;
    return { text: `Net Wt ${metricMass(g)} (${num(Math.round((g / G_PER_OZ) * 10) / 10)} oz)`, grams: g };
  }
  const g = Math.round(size * G_PER_OZ);
  const lb = Math.floor(size / 16);
  const rest = size - lb * 16;
  const pounds = lb > 0 ? ` (${lb} lb${rest > 0 ? ` ${num(rest)} oz` : ''})` : '';
  return { text: `Net Wt ${num(size)} oz${pounds} ${metricMass(g)}`, grams: g };
}

// FDA 21 CFR 101.9 rounding, simplified to what a label prints.
const roundFat = (x: number) => (x < 0.5 ? 0 : x < 5 ? Math.round(x * 2) / 2 : Math.round(x));
const roundGram = (x: number) => (x < 0.5 ? 0 : Math.round(x));
const roundCalories = (x: number) => (x < 5 ? 0 : x <= 50 ? Math.round(x / 5) * 5 : Math.round(x / 10) * 10);
const roundSodium = (x: number) => (x < 5 ? 0 : x <= 140 ? Math.round(x / 5) * 5 : Math.round(x / 10) * 10);
const roundCholesterol = (x: number) => (x < 2 ? 0 : Math.round(x / 5) * 5);
const round1 = (x: number) => Math.round(x * 10) / 10;

export interface LabelFlags {
  dairy: boolean;
  meat: boolean;
  fish: boolean;
  egg: boolean;
  sweetener: boolean;
  /** Grain-based (enriched flour carries iron). */
  grain: boolean;
  /** Fruit or vegetable (potassium). */
  produce: boolean;
}

export function nutritionFacts(
  rng: Rng,
  cat: CategoryDef,
  variety: Variety,
  flags: LabelFlags,
  netGrams: number,
): NutritionFacts | null {
  const serving = variety.serving ?? cat.serving;
  if (!serving) return null;
  const base: Per100 = { ...cat.per100, ...variety.per100 };
  // Each product differs a little from its recipe's profile, as real brands do.
  const per = (x: number) => (x * serving.grams * rng.range(0.85, 1.15)) / 100;

  const fat = roundFat(per(base.fat));
  const carbs = roundGram(per(base.carbs));
  const protein = roundGram(per(base.protein));
  const fiber = Math.min(roundGram(per(base.fiber)), carbs);
  const sugars = Math.min(roundGram(carbs * base.sugarShare), carbs - fiber);
  const added = flags.sweetener ? Math.min(sugars, roundGram(sugars * rng.range(0.6, 1))) : 0;
  const saturated = Math.min(roundFat(fat * base.satShare), fat);
  // Cholesterol comes only from animal ingredients; a plant-only product prints 0.
  const cholPer100 = (flags.dairy ? 15 : 0) + (flags.egg ? 60 : 0) + (flags.meat ? 70 : 0) + (flags.fish ? 40 : 0);

  // Minerals scale with the serving, so a pinch of spice does not print a glass of milk's calcium.
  const m = Math.min(1, serving.grams / 30);

  const servings = netGrams / serving.grams;
  const servingsText =
    servings < 1.5
      ? '1'
      : Math.abs(servings - Math.round(servings)) < 0.1
        ? String(Math.round(servings))
        : `about ${Math.round(servings)}`;

  return {
    serving_size: serving.text,
    servings_per_container: servingsText,
    calories: roundCalories(9 * fat + 4 * carbs + 4 * protein),
    total_fat_g: fat,
    saturated_fat_g: saturated,
    trans_fat_g: 0,
    cholesterol_mg: roundCholesterol(per(cholPer100)),
    sodium_mg: roundSodium(per(base.sodium)),
    total_carbohydrate_g: carbs,
    dietary_fiber_g: fiber,
    total_sugars_g: sugars,
    added_sugars_g: added,
    protein_g: protein,
    vitamin_d_mcg: flags.dairy ? round1(m * rng.range(1, 3)) : 0,
    calcium_mg: Math.round((m * (flags.dairy ? rng.range(150, 300) : rng.range(0, 40))) / 10) * 10,
    iron_mg: round1(m * (flags.grain ? rng.range(0.8, 2.2) : rng.range(0, 0.5))),
    potassium_mg: Math.round((m * (flags.produce ? rng.range(150, 350) : rng.range(20, 120))) / 10) * 10,
  };
}
