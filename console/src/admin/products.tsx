// Operator: product data and images (docs/console.md#operators). Open a product by barcode, save its whole
// product_meta (the admin API's upsert: saving replaces it), and upload its images (JPEG or PNG, at most 25 MiB
// and 50 megapixels, as the admin API's upload); the stored images are listed. Every action is audit-logged.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { ErrorNote, Field, formValues, Notice, Section, Select, Table, useAction, when } from '../ui.tsx';
import { base64 } from './images.tsx';

const Product = graphql(`
  query OperatorProduct($barcode: String!) {
    operatorProduct(barcode: $barcode) {
      barcode
      gtin14
      brand
      productName
      netWeight
      ownership
      productDescription
      category
      bracha
      kosherForPassover
      hechshers {
        symbol
        org
        dairyMeatPareve
        dairyEquipment
        passover
        qualifiers
      }
      ingredients
      allergens
      nutrition {
        servingSize
        servingsPerContainer
        calories
        totalFatG
        saturatedFatG
        transFatG
        cholesterolMg
        sodiumMg
        totalCarbohydrateG
        dietaryFiberG
        totalSugarsG
        addedSugarsG
        proteinG
        vitaminDMcg
        calciumMg
        ironMg
        potassiumMg
      }
      updatedAt
      images {
        variant
        format
        width
        height
        fileSizeBytes
        uploadedAt
      }
    }
  }
`);

const SaveProduct = graphql(`
  mutation OperatorSaveProduct($barcode: String!, $input: OperatorProductInput!) {
    operatorSaveProduct(barcode: $barcode, input: $input) {
      barcode
      outcome
    }
  }
`);

const UploadImage = graphql(`
  mutation OperatorUploadImage($barcode: String!, $variant: String!, $contentType: String!, $imageBase64: String!) {
    operatorUploadImage(barcode: $barcode, variant: $variant, contentType: $contentType, imageBase64: $imageBase64) {
      variant
      width
      height
      changed
    }
  }
`);

/** The admin API's upload limit (docs/limits.md): checked here first, so a huge file is not even sent. */
const MAX_UPLOAD = 25 * 1024 * 1024;

const NUTRIENTS = [
  'total_fat_g',
  'saturated_fat_g',
  'trans_fat_g',
  'cholesterol_mg',
  'sodium_mg',
  'total_carbohydrate_g',
  'dietary_fiber_g',
  'total_sugars_g',
  'added_sugars_g',
  'protein_g',
  'vitamin_d_mcg',
  'calcium_mg',
  'iron_mg',
  'potassium_mg',
];
const camel = (k: string) => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const nutrientLabel = (k: string) => {
  const parts = k.split('_');
  const unit = parts.pop();
  const name = parts.join(' ').replace(/\b([a-z])\b/g, (c) => c.toUpperCase());
  return `${name[0].toUpperCase()}${name.slice(1)} (${unit})`;
};

const BRACHOS: [string, string][] = [
  ['', 'None'],
  ...['hamotzi', 'mezonos', 'hagafen', 'haetz', 'haadama', 'shehakol'].map((b): [string, string] => [b, b]),
];
const VARIANTS: [string, string][] = [
  ['front', 'Front'],
  ['back', 'Back'],
  ['front_clean', 'Front, clean (transparent PNG)'],
  ['back_clean', 'Back, clean (transparent PNG)'],
];

type Loaded = Awaited<ReturnType<typeof load>>;
const load = async (barcode: string) => (await gql(Product, { barcode })).operatorProduct;

const orNull = (s: string | undefined) => (s ? s : null);
function num(s: string | undefined, label: string): number | null {
  if (!s) return null;
  const n = Number(s.replace(',', '.'));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${label}: a number, 0 or more.`);
  return n;
}

/**
 * One hechsher a line: `symbol; organisation; dairy|meat|pareve; flags; qualifiers` (flags: DE = dairy equipment,
 * P = Passover; qualifiers comma-separated, e.g. chalav_yisrael).
 */
function hechshers(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const [symbol, org, dmp, flags = '', quals = ''] = line.split(';').map((p) => p.trim());
      if (!symbol || !dmp) throw new Error(`Hechsher line ${i + 1}: write "symbol; organisation; dairy|meat|pareve".`);
      const f = flags.toUpperCase().split(/[\s,]+/);
      return {
        symbol,
        org: org ?? '',
        dairyMeatPareve: dmp.toLowerCase(),
        dairyEquipment: f.includes('DE'),
        passover: f.includes('P'),
        qualifiers: quals
          .split(',')
          .map((q) => q.trim())
          .filter(Boolean),
      };
    });
}

function productInput(v: Record<string, string>) {
  const nutrition: Record<string, unknown> = {
    servingSize: orNull(v.servingSize),
    servingsPerContainer: orNull(v.servingsPerContainer),
    calories: num(v.calories, 'Calories'),
  };
  for (const k of NUTRIENTS) nutrition[camel(k)] = num(v[k], nutrientLabel(k));
  const anyNutrition = Object.values(nutrition).some((x) => x !== null);
  return {
    brand: v.brand,
    productName: v.productName,
    ownership: v.ownership,
    productDescription: orNull(v.productDescription),
    netWeight: orNull(v.netWeight),
    category: orNull(v.category),
    bracha: orNull(v.bracha),
    kosherForPassover: v.kosherForPassover === 'on',
    hechshers: hechshers(v.hechshers ?? ''),
    ingredients: orNull(v.ingredients),
    allergens: (v.allergens ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    nutrition: anyNutrition ? nutrition : null,
  };
}

export function ProductsPage() {
  const [barcode, setBarcode] = useState<string | null>(null);
  const [product, setProduct] = useState<Loaded | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const open = useAction(async (v: Record<string, string>) => {
    setSaved(null);
    setUploaded(null);
    setProduct(await load(v.barcode));
    setBarcode(v.barcode);
  });
  const save = useAction(async (v: Record<string, string>) => {
    if (!barcode) return;
    setSaved(null);
    const r = (await gql(SaveProduct, { barcode, input: productInput(v) as never })).operatorSaveProduct;
    setSaved(`Product ${r.barcode} ${r.outcome}.`);
    setProduct(await load(barcode));
  });
  const upload = useAction(async (e: Event) => {
    e.preventDefault();
    if (!barcode) return;
    setUploaded(null);
    const form = e.currentTarget as HTMLFormElement;
    const variant = (form.elements.namedItem('variant') as HTMLSelectElement).value;
    const file = (form.elements.namedItem('image') as HTMLInputElement).files?.[0];
    if (!file) throw new Error('Choose an image file.');
    if (file.type !== 'image/jpeg' && file.type !== 'image/png')
      throw new Error(`${file.name} is not a JPEG or PNG image.`);
    if (file.size > MAX_UPLOAD)
      throw new Error(
        `${file.name} is larger than 25 MiB (${Math.ceil(file.size / 1048576)} MiB); the limit is 25 MiB.`,
      );
    const imageBase64 = base64(new Uint8Array(await file.arrayBuffer()));
    const r = (await gql(UploadImage, { barcode, variant, contentType: file.type, imageBase64 })).operatorUploadImage;
    setUploaded(
      r.changed
        ? `Image ${r.variant} stored (${r.width}×${r.height}).`
        : `Image ${r.variant} was already stored; nothing changed.`,
    );
    setProduct(await load(barcode));
  });
  return (
    <Section title="Products">
      {() => (
        <>
          <form class="stack narrow" onSubmit={(e) => open.act(formValues(e))} aria-label="Open a product">
            <Field label="Barcode" name="barcode" required maxLength={14} inputMode="numeric" hint="8 to 14 digits." />
            <ErrorNote error={open.error} />
            <button type="submit" disabled={open.busy}>
              Open
            </button>
          </form>
          {barcode ? (
            <>
              <h2>{product ? `${product.brand} — ${product.productName}` : `New product ${barcode}`}</h2>
              {product ? (
                <Table
                  caption={`Images of ${barcode}`}
                  head={['Variant', 'Format', 'Size', 'Bytes', 'Uploaded']}
                  rows={product.images.map((i) => [
                    i.variant,
                    i.format,
                    `${i.width}×${i.height}`,
                    String(i.fileSizeBytes),
                    when(i.uploadedAt),
                  ])}
                  empty="No images yet."
                />
              ) : null}
              <ProductForm
                busy={save.busy}
                error={save.error}
                onSave={save.act}
                product={product}
                key={`${barcode}-${product ? 'known' : 'new'}`}
              />
              {saved ? <Notice>{saved}</Notice> : null}
              {product ? (
                <form class="stack narrow" onSubmit={(e) => upload.act(e)} aria-label="Upload an image">
                  <h2>Upload an image</h2>
                  <Select label="Variant" name="variant" options={VARIANTS} />
                  <div class="field">
                    <label for="f-image">Image file (JPEG or PNG, at most 25 MiB and 50 megapixels)</label>
                    <input id="f-image" name="image" type="file" accept="image/jpeg,image/png" required />
                  </div>
                  <ErrorNote error={upload.error} />
                  <button type="submit" disabled={upload.busy}>
                    Upload
                  </button>
                  {uploaded ? <Notice>{uploaded}</Notice> : null}
                </form>
              ) : (
                <p class="muted">Save the product first; then upload its images.</p>
              )}
            </>
          ) : null}
        </>
      )}
    </Section>
  );
}

/** A stored hechsher as one line of the form's text (the inverse of hechshers()). */
function hechsherLine(h: NonNullable<Loaded>['hechshers'][number]): string {
  const flags = [h.dairyEquipment ? 'DE' : '', h.passover ? 'P' : ''].filter(Boolean).join(' ');
  const tail = h.qualifiers.length ? `; ${flags}; ${h.qualifiers.join(', ')}` : flags ? `; ${flags}` : '';
  return `${h.symbol}; ${h.org}; ${h.dairyMeatPareve}${tail}`;
}

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** The form's values (by input name) of a stored product, or empty ones for a new product. */
function initialValues(p: Loaded | null): Record<string, string> {
  const n = (p?.nutrition ?? {}) as Record<string, string | number | null | undefined>;
  const v: Record<string, string> = {
    brand: text(p?.brand),
    productName: text(p?.productName),
    ownership: text(p?.ownership),
    netWeight: text(p?.netWeight),
    category: text(p?.category),
    productDescription: text(p?.productDescription),
    bracha: text(p?.bracha),
    kosherForPassover: p?.kosherForPassover ? 'on' : '',
    hechshers: p ? p.hechshers.map(hechsherLine).join('\n') : '',
    ingredients: text(p?.ingredients),
    allergens: p ? p.allergens.join(', ') : '',
    servingSize: text(n.servingSize),
    servingsPerContainer: text(n.servingsPerContainer),
    calories: text(n.calories),
  };
  for (const k of NUTRIENTS) v[k] = text(n[camel(k)]);
  return v;
}

function ProductForm(props: {
  busy: boolean;
  error: string | null;
  onSave: (v: Record<string, string>) => void;
  product: Loaded | null;
}) {
  // Controlled: what the operator typed survives a re-render (a refused save keeps the form as it was).
  const [v, setV] = useState(() => initialValues(props.product));
  const edit = (e: Event) => {
    const t = e.target as HTMLInputElement;
    if (!t.name) return;
    setV((old) => ({ ...old, [t.name]: t.type === 'checkbox' ? (t.checked ? 'on' : '') : t.value }));
  };
  return (
    <form
      class="stack"
      onSubmit={(e) => props.onSave(formValues(e))}
      onInput={edit}
      onChange={edit}
      aria-label="Product data"
    >
      <p class="muted">Saving replaces the whole product data (fields left empty are cleared).</p>
      <Field label="Brand" name="brand" required maxLength={500} value={v.brand} />
      <Field label="Product name" name="productName" required maxLength={500} value={v.productName} />
      <Field
        label="Ownership"
        name="ownership"
        required
        maxLength={500}
        hint="The company that owns the brand."
        value={v.ownership}
      />
      <Field label="Net weight" name="netWeight" maxLength={200} placeholder="200 g" value={v.netWeight} />
      <Field label="Category" name="category" maxLength={200} value={v.category} />
      <Field label="Description" name="productDescription" maxLength={2000} value={v.productDescription} />
      <Select label="Bracha" name="bracha" options={BRACHOS} value={v.bracha} />
      <div class="field">
        <label>
          <input type="checkbox" name="kosherForPassover" checked={v.kosherForPassover === 'on'} /> Kosher for Passover
        </label>
      </div>
      <div class="field">
        <label for="f-hechshers">Hechshers</label>
        <textarea
          id="f-hechshers"
          name="hechshers"
          rows={3}
          maxLength={5000}
          aria-describedby="f-hechshers-hint"
          value={v.hechshers}
        />
        <small id="f-hechshers-hint" class="hint">
          One a line: symbol; organisation; dairy, meat or pareve; flags (DE: dairy equipment, P: Passover); qualifiers
          (comma-separated). E.g. “OU-D; Orthodox Union; dairy; DE; chalav_yisrael”.
        </small>
      </div>
      <div class="field">
        <label for="f-ingredients">Ingredients</label>
        <textarea id="f-ingredients" name="ingredients" rows={3} maxLength={20000} value={v.ingredients} />
      </div>
      <Field
        label="Allergens"
        name="allergens"
        maxLength={5000}
        hint="Comma-separated, e.g. wheat, sesame."
        value={v.allergens}
      />
      <fieldset>
        <legend>Nutrition facts (per serving; leave empty if unknown)</legend>
        <Field label="Serving size" name="servingSize" maxLength={200} value={v.servingSize} />
        <Field
          label="Servings per container"
          name="servingsPerContainer"
          maxLength={200}
          value={v.servingsPerContainer}
        />
        <Field label="Calories" name="calories" inputMode="decimal" maxLength={20} value={v.calories} />
        {NUTRIENTS.map((k) => (
          <Field key={k} label={nutrientLabel(k)} name={k} inputMode="decimal" maxLength={20} value={v[k]} />
        ))}
      </fieldset>
      <ErrorNote error={props.error} />
      <button type="submit" disabled={props.busy}>
        Save product
      </button>
    </form>
  );
}
