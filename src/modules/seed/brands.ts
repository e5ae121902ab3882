// Brands and photo studios of the synthetic catalog. A few Israeli brand names are real (the catalog is
// meant to look like the kosher aisle); every product, barcode and certification generated for them is
// invented. The country decides the barcode form (UPC-A in North America, EAN-13/EAN-8 elsewhere) and
// the usual agencies.
import type { AgencyKey } from './agencies.ts';
import type { CategoryKey } from './catalog-data.ts';

export type Country = 'US' | 'CA' | 'IL' | 'UK' | 'FR' | 'BE';

export interface Brand {
  name: string;
  /** Hebrew label text for Israeli brands (the front of the package shows both). */
  he?: string;
  country: Country;
  categories: CategoryKey[];
  agencies: AgencyKey[];
  /** Package colours: main, accent. */
  colors: [string, string];
}

/** GS1 prefixes per country; the company code after it is derived from the brand name. */
export const GS1_PREFIX: Record<Country, string[]> = {
  US: ['0', '6', '7', '8'], // UPC-A number-system digit
  CA: ['0', '6'],
  IL: ['729'],
  UK: ['500', '501', '502', '503', '504', '505', '506', '507', '508', '509'],
  FR: ['300', '320', '340', '350', '370'],
  BE: ['540', '541', '542', '543', '544', '545', '546', '547', '548', '549'],
};

export const BRANDS: Brand[] = [
  {
    name: 'Shabbos Table',
    country: 'US',
    categories: ['bread', 'cake', 'condiments'],
    agencies: ['OU'],
    colors: ['#1f4e79', '#f2c14e'],
  },
  {
    name: 'Heimishe Kitchen',
    country: 'US',
    categories: ['fish', 'condiments', 'vegetables'],
    agencies: ['OK', 'KofK'],
    colors: ['#7b2d26', '#f6e7c1'],
  },
  {
    name: 'Golden Menorah',
    country: 'US',
    categories: ['matzah', 'cookies', 'candy'],
    agencies: ['OU'],
    colors: ['#b8860b', '#1b1b3a'],
  },
  {
    name: 'Brooklyn Bakehouse',
    country: 'US',
    categories: ['bread', 'cookies', 'cake'],
    agencies: ['KofK', 'OK'],
    colors: ['#8b4513', '#fff3e0'],
  },
  {
    name: 'Lakewood Farms',
    country: 'US',
    categories: ['dairy', 'vegetables', 'fruit'],
    agencies: ['OU', 'KofK'],
    colors: ['#2e7d32', '#ffffff'],
  },
  {
    name: 'Monsey Market',
    country: 'US',
    categories: ['chips', 'snacks', 'drinks'],
    agencies: ['OK'],
    colors: ['#c62828', '#ffeb3b'],
  },
  {
    name: 'Five Towns Foods',
    country: 'US',
    categories: ['condiments', 'spices', 'crackers'],
    agencies: ['OU', 'StarK'],
    colors: ['#00695c', '#e0f2f1'],
  },
  {
    name: 'Catskill Creamery',
    country: 'US',
    categories: ['dairy'],
    agencies: ['OU', 'ChofK'],
    colors: ['#1565c0', '#e3f2fd'],
  },
  {
    name: 'Crown Heights Deli',
    country: 'US',
    categories: ['meat'],
    agencies: ['OK', 'OU'],
    colors: ['#4e342e', '#ffcc80'],
  },
  {
    name: 'Sea Gate Fisheries',
    country: 'US',
    categories: ['fish'],
    agencies: ['OU', 'KofK'],
    colors: ['#0277bd', '#b3e5fc'],
  },
  {
    name: 'Boro Park Sweets',
    country: 'US',
    categories: ['candy', 'cookies'],
    agencies: ['KSA', 'OU'],
    colors: ['#ad1457', '#fce4ec'],
  },
  {
    name: 'Vineland Cellars',
    country: 'US',
    categories: ['wine', 'grape_juice'],
    agencies: ['OU', 'OK'],
    colors: ['#4a148c', '#e1bee7'],
  },
  {
    name: 'Hudson Valley Orchards',
    country: 'US',
    categories: ['fruit', 'drinks'],
    agencies: ['OK', 'StarK'],
    colors: ['#e65100', '#fff8e1'],
  },
  {
    name: 'Garden State Pickle Co.',
    country: 'US',
    categories: ['vegetables', 'condiments'],
    agencies: ['KofK', 'OU'],
    colors: ['#33691e', '#f1f8e9'],
  },
  {
    name: 'Crunch Mitzvah',
    country: 'US',
    categories: ['chips', 'snacks'],
    agencies: ['OU', 'OK'],
    colors: ['#f9a825', '#212121'],
  },
  {
    name: 'Baltimore Bakery',
    country: 'US',
    categories: ['bread', 'cake', 'cookies'],
    agencies: ['StarK'],
    colors: ['#5d4037', '#ffe0b2'],
  },
  {
    name: 'Chicago Challah Co.',
    country: 'US',
    categories: ['bread', 'cake'],
    agencies: ['CRC'],
    colors: ['#6d4c41', '#fbe9e7'],
  },
  {
    name: 'Cedarhurst Confections',
    country: 'US',
    categories: ['candy', 'snacks'],
    agencies: ['OU', 'StarK', 'CRC'],
    colors: ['#3e2723', '#d7ccc8'],
  },
  {
    name: 'Miami Beach Citrus',
    country: 'US',
    categories: ['drinks', 'fruit'],
    agencies: ['KSA', 'OU'],
    colors: ['#ff6f00', '#fffde7'],
  },
  {
    name: 'Silver Spring Spice Co.',
    country: 'US',
    categories: ['spices', 'condiments'],
    agencies: ['StarK', 'TabletK'],
    colors: ['#37474f', '#cfd8dc'],
  },
  {
    name: 'Passaic Provisions',
    country: 'US',
    categories: ['meat', 'fish', 'condiments'],
    agencies: ['OU', 'OK'],
    colors: ['#263238', '#ffab91'],
  },
  {
    name: 'Teaneck Tea Biscuits',
    country: 'US',
    categories: ['crackers', 'cookies'],
    agencies: ['OU', 'ChofK'],
    colors: ['#827717', '#f9fbe7'],
  },
  {
    name: 'Lakeside Beverage',
    country: 'US',
    categories: ['drinks', 'grape_juice'],
    agencies: ['OU', 'TabletK'],
    colors: ['#006064', '#e0f7fa'],
  },
  {
    name: 'Maple Leaf Kosher',
    country: 'CA',
    categories: ['cookies', 'crackers', 'fruit'],
    agencies: ['COR'],
    colors: ['#b71c1c', '#ffffff'],
  },
  {
    name: 'Toronto Deli Works',
    country: 'CA',
    categories: ['meat', 'condiments'],
    agencies: ['COR'],
    colors: ['#3e2723', '#ffecb3'],
  },
  {
    name: 'Osem',
    he: 'אסם',
    country: 'IL',
    categories: ['crackers', 'cookies', 'snacks', 'condiments', 'cake'],
    agencies: ['Rabbanut', 'Badatz'],
    colors: ['#d32f2f', '#fff9c4'],
  },
  {
    name: 'Elite',
    he: 'עלית',
    country: 'IL',
    categories: ['candy', 'cookies', 'drinks'],
    agencies: ['Rabbanut', 'BeitYosef'],
    colors: ['#4e1a0b', '#ffd54f'],
  },
  {
    name: 'Tnuva',
    he: 'תנובה',
    country: 'IL',
    categories: ['dairy'],
    agencies: ['Rabbanut', 'Badatz'],
    colors: ['#0d47a1', '#ffffff'],
  },
  {
    name: 'Galil Heights Winery',
    he: 'יקב רמת הגליל',
    country: 'IL',
    categories: ['wine', 'grape_juice'],
    agencies: ['Rabbanut', 'OU'],
    colors: ['#311b92', '#d1c4e9'],
  },
  {
    name: 'Negev Orchards',
    he: 'פרדסי הנגב',
    country: 'IL',
    categories: ['fruit', 'vegetables'],
    agencies: ['Rabbanut', 'BeitYosef'],
    colors: ['#bf360c', '#ffe0b2'],
  },
  {
    name: 'Jerusalem Bakery',
    he: 'מאפיית ירושלים',
    country: 'IL',
    categories: ['bread', 'cake', 'cookies'],
    agencies: ['Badatz', 'Rabbanut'],
    colors: ['#795548', '#efebe9'],
  },
  {
    name: 'Tel Aviv Pickles',
    he: 'חמוצי תל אביב',
    country: 'IL',
    categories: ['vegetables', 'condiments'],
    agencies: ['Rabbanut'],
    colors: ['#1b5e20', '#c8e6c9'],
  },
  {
    name: 'Golan Dairy',
    he: 'מחלבות הגולן',
    country: 'IL',
    categories: ['dairy'],
    agencies: ['BeitYosef', 'Rabbanut'],
    colors: ['#01579b', '#e1f5fe'],
  },
  {
    name: 'Shuk Spices',
    he: 'תבליני השוק',
    country: 'IL',
    categories: ['spices', 'condiments', 'snacks'],
    agencies: ['Rabbanut', 'Badatz'],
    colors: ['#e65100', '#3e2723'],
  },
  {
    name: 'Golders Green Biscuits',
    country: 'UK',
    categories: ['cookies', 'crackers', 'cake'],
    agencies: ['KLBD'],
    colors: ['#283593', '#e8eaf6'],
  },
  {
    name: 'Stamford Hill Sweets',
    country: 'UK',
    categories: ['candy', 'snacks'],
    agencies: ['KLBD'],
    colors: ['#880e4f', '#f8bbd0'],
  },
  {
    name: 'Maison Cacher',
    country: 'FR',
    categories: ['cake', 'wine', 'condiments'],
    agencies: ['BDP'],
    colors: ['#1a237e', '#ffebee'],
  },
  {
    name: 'Antwerp Chocolatier',
    country: 'BE',
    categories: ['candy', 'cookies'],
    agencies: ['KLBD', 'OU'],
    colors: ['#3e2723', '#ffd180'],
  },
];

export interface Studio {
  name: string;
  code: string; // prefix of its upload batch ids
  photographers: string[];
}

export const STUDIOS: Studio[] = [
  { name: 'Lens & Label Studio', code: 'LLS', photographers: ['Miriam Katz', 'Ari Feldman', 'Dov Rosen'] },
  { name: 'Kosher Shots NYC', code: 'KSN', photographers: ['Yossi Adler', 'Chana Weiss', 'Eli Brandt'] },
  { name: 'Tel Aviv Product Lab', code: 'TAPL', photographers: ['Noa Levi', 'Itai Mizrahi', 'Tamar Ben-David'] },
  { name: 'Lakewood Pack Shots', code: 'LPS', photographers: ['Shmuel Gold', 'Rivka Stern'] },
  { name: 'Golders Green Imaging', code: 'GGI', photographers: ['Daniel Cohen', 'Leah Marks'] },
];
