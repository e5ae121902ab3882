// Kosher certification agencies and the symbols they print. The designation is part of the symbol
// (OU vs OU-D vs OU-P), so the generator picks the symbol from what the ingredients make the product:
// dairy ingredients need the dairy symbol, meat needs the meat symbol, Passover needs the -P symbol.
// Hebrew agencies print the designation in words next to the seal; we keep it in the symbol text so
// that the `hechsher` filter can tell them apart, as it can for "OU" and "OU-D".

export interface Agency {
  org: string;
  pareve: string;
  dairy: string;
  /** Pareve ingredients made on dairy equipment; agencies without such a mark print the dairy one. */
  dairyEquipment?: string;
  meat?: string;
  /** Certified kosher for Passover (only for pareve products in this generator). */
  passover?: string;
}

export const AGENCIES = {
  OU: {
    org: 'Orthodox Union',
    pareve: 'OU',
    dairy: 'OU-D',
    dairyEquipment: 'OU-DE',
    meat: 'OU-Meat',
    passover: 'OU-P',
  },
  OK: {
    org: 'OK Kosher Certification',
    pareve: 'OK',
    dairy: 'OK-D',
    dairyEquipment: 'OK-DE',
    meat: 'OK-Meat',
    passover: 'OK-P',
  },
  KofK: { org: 'Kof-K Kosher Supervision', pareve: 'Kof-K', dairy: 'Kof-K-D', meat: 'Kof-K-Meat', passover: 'Kof-K-P' },
  StarK: { org: 'STAR-K Kosher Certification', pareve: 'Star-K', dairy: 'Star-D', passover: 'Star-K-P' },
  CRC: { org: 'Chicago Rabbinical Council', pareve: 'cRc', dairy: 'cRc-D', passover: 'cRc-P' },
  ChofK: { org: 'Chof-K Kosher Supervision', pareve: 'Chof-K', dairy: 'Chof-K-D' },
  KSA: { org: 'Kosher Supervisors of America', pareve: 'KSA', dairy: 'KSA-D', passover: 'KSA-P' },
  TabletK: { org: 'Tablet-K Kosher Supervision', pareve: 'Tablet-K', dairy: 'Tablet-K-D' },
  COR: { org: 'Kashruth Council of Canada', pareve: 'COR', dairy: 'COR-D', meat: 'COR-Meat', passover: 'COR-P' },
  KLBD: { org: 'London Beth Din (KLBD)', pareve: 'KLBD', dairy: 'KLBD-D', passover: 'KLBD-P' },
  BDP: { org: 'Beth Din de Paris', pareve: 'BDP', dairy: 'BDP-D', meat: 'BDP-Meat', passover: 'BDP-P' },
  Badatz: {
    org: 'Badatz Eidah HaChareidis, Jerusalem',
    pareve: 'בד״ץ העדה החרדית',
    dairy: 'בד״ץ העדה החרדית חלבי',
    meat: 'בד״ץ העדה החרדית בשרי',
    passover: 'בד״ץ העדה החרדית כשר לפסח',
  },
  BeitYosef: {
    org: 'Badatz Beit Yosef',
    pareve: 'בד״ץ בית יוסף',
    dairy: 'בד״ץ בית יוסף חלבי',
    meat: 'בד״ץ בית יוסף בשרי',
    passover: 'בד״ץ בית יוסף כשר לפסח',
  },
  Rabbanut: {
    org: 'Chief Rabbinate of Israel',
    pareve: 'רבנות ראשית',
    dairy: 'רבנות ראשית חלבי',
    meat: 'רבנות ראשית בשרי',
    passover: 'רבנות ראשית כשר לפסח',
  },
} satisfies Record<string, Agency>;

export type AgencyKey = keyof typeof AGENCIES;

/** How a passover symbol is recognisable as printed: "-P" marks, or "כשר לפסח" on Israeli seals.  @internal Exported for its tests. */
export const PASSOVER_SYMBOL_RE = /(-P|לפסח)$/;
