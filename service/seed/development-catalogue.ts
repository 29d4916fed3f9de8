import type { CatalogueDocument } from '../catalogue/catalogue-document';

/**
 * The development seed's marketplaces and how they list products 1-20: prices in each currency's
 * minor units (USD cents, EUR cents, whole yen), names in each locale. A few gaps on purpose, so
 * the rules can be tried by hand: product 20 is not listed in `de`, product 19 is listed there
 * unpublished, and product 10 is not sold in `jp`.
 */
const MARKETPLACES: CatalogueDocument['marketplaces'] = [
  { code: 'us', name: 'United States', currency: 'USD', locales: ['en-US'], countries: ['US'], region: 'us-east-1' },
  { code: 'de', name: 'Deutschland', currency: 'EUR', locales: ['de-DE', 'en-GB'], countries: ['DE', 'AT', 'CH'], region: 'eu-central-1' },
  { code: 'jp', name: 'Japan', currency: 'JPY', locales: ['ja-JP'], countries: ['JP'], region: 'ap-northeast-1' },
];

/** Product n's row is n - 1: [base name (English), USD cents, EUR cents, yen, German name, Japanese name]. */
const PRODUCTS: ReadonlyArray<readonly [string, number, number, number, string, string]> = [
  ['Espresso beans, 1 kg', 1529, 1399, 2300, 'Espressobohnen, 1 kg', 'エスプレッソ豆 1kg'],
  ['Pour-over kettle', 4599, 4299, 6800, 'Wasserkocher mit Schwanenhals', 'ドリップケトル'],
  ['Ceramic dripper', 2250, 2090, 3300, 'Keramik-Handfilter', '陶器ドリッパー'],
  ['Paper filters, 100', 599, 549, 880, 'Papierfilter, 100 Stück', 'ペーパーフィルター 100枚'],
  ['Burr grinder', 12900, 11900, 19000, 'Kegelmahlwerk-Mühle', 'コーヒーグラインダー'],
  ['Milk frother', 3450, 3190, 5100, 'Milchaufschäumer', 'ミルクフォーマー'],
  ['Travel mug', 1999, 1849, 2900, 'Thermobecher', 'トラベルマグ'],
  ['Digital scale', 2899, 2690, 4300, 'Digitale Waage', 'デジタルスケール'],
  ['Chocolate bar', 299, 279, 450, 'Schokoladentafel', 'チョコレートバー'],
  ['Tea sampler', 1850, 1699, 0, 'Tee-Probierset', 'ティーサンプラー'],
  ['Cold brew jar', 2475, 2290, 3700, 'Cold-Brew-Glas', '水出しコーヒーボトル'],
  ['Tamper', 1699, 1590, 2500, 'Tamper', 'タンパー'],
  ['Knock box', 2199, 1990, 3200, 'Abklopfbehälter', 'ノックボックス'],
  ['Cleaning tablets', 899, 829, 1300, 'Reinigungstabletten', '洗浄タブレット'],
  ['Descaler', 1099, 999, 1600, 'Entkalker', 'スケール除去剤'],
  ['Latte cups, set of 2', 2650, 2450, 3900, 'Lattetassen, 2er-Set', 'ラテカップ 2個セット'],
  ['Barista apron', 3299, 2990, 4900, 'Barista-Schürze', 'バリスタエプロン'],
  ['Syrup, vanilla', 749, 699, 1100, 'Sirup, Vanille', 'バニラシロップ'],
  ['Biscotti tin', 1199, 1099, 1800, 'Cantuccini-Dose', 'ビスコッティ缶'],
  ['Gift card holder', 100, 0, 150, 'Geschenkkartenhülle', 'ギフトカードホルダー'],
];

/** Listed there, but not on sale (unpublished). */
const UNPUBLISHED = new Set(['19:de']);
/** Not listed there at all (their price in PRODUCTS is a placeholder). */
const UNLISTED = new Set(['20:de', '10:jp']);

/** The development catalogue as the document every region loads (catalogue/catalogue-document.ts). */
export const DEVELOPMENT_CATALOGUE: CatalogueDocument = {
  version: 1,
  marketplaces: MARKETPLACES,
  products: PRODUCTS.map(([name, usd, eur, yen, german, japanese], index) => {
    const id = index + 1;
    const prices = { us: usd, de: eur, jp: yen };
    const listings = Object.fromEntries(
      Object.entries(prices)
        .filter(([code]) => !UNLISTED.has(`${id}:${code}`))
        .map(([code, price]) => [code, { price, published: !UNPUBLISHED.has(`${id}:${code}`) }]),
    );
    return { id, name, listings, translations: { 'de-DE': { name: german }, 'en-GB': { name }, 'ja-JP': { name: japanese } } };
  }),
};
