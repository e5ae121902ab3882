// A sample consumer of the API: a product card for a store's shelf app, typed by graphql-codegen from
// schema/schema.graphql. Barcodes travel as variables so the server caches the parsed document.
import { graphql } from './gql/index.ts';

export const ProductCardQuery = graphql(`
  query ProductCard($barcode: Barcode!) {
    product(barcode: $barcode) {
      id
      barcode
      productMeta {
        brand
        productName
        bracha
        hechshers { symbol dairyMeatPareve }
      }
      images { front(size: SMALL, format: WEBP) }
    }
  }
`);

export const PricingQuery = graphql(`
  query Pricing {
    pricing { currency actions { action credits } }
  }
`);

export const ShelfCheckQuery = graphql(`
  query ShelfCheck($barcodes: [String!]!) {
    bulkCheck(barcodes: $barcodes) { barcode exists error }
  }
`);
