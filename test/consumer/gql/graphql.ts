/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Bracha =
  | 'HAADAMA'
  | 'HAETZ'
  | 'HAGAFEN'
  | 'HAMOTZI'
  | 'MEZONOS'
  | 'SHEHAKOL';

export type BulkCheckError =
  /** Not 8–14 digits, or a wrong GS1 check digit. */
  | 'INVALID_BARCODE'
  /** Outside your API client's scope filter. */
  | 'OUT_OF_SCOPE';

export type DairyMeatPareve =
  | 'DAIRY'
  | 'MEAT'
  | 'PAREVE';

export type ProductCardQueryVariables = Exact<{
  barcode: string;
}>;


export type ProductCardQuery = { product: { id: string, barcode: string, productMeta: { brand: string, productName: string, bracha: Bracha | null, hechshers: Array<{ symbol: string, dairyMeatPareve: DairyMeatPareve | null }> }, images: { front: string | null } } | null };

export type PricingQueryVariables = Exact<{ [key: string]: never; }>;


export type PricingQuery = { pricing: { currency: string, actions: Array<{ action: string, credits: number }> } };

export type ShelfCheckQueryVariables = Exact<{
  barcodes: Array<string> | string;
}>;


export type ShelfCheckQuery = { bulkCheck: Array<{ barcode: string, exists: boolean, error: BulkCheckError | null }> };


export const ProductCardDocument = {"__meta__":{"hash":"sha256:1b63a15053cbf163197c72f2bc18773b9578b49b46998889cea3980ac6fc0241"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProductCard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"barcode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Barcode"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"product"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"barcode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"barcode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"barcode"}},{"kind":"Field","name":{"kind":"Name","value":"productMeta"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"brand"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"bracha"}},{"kind":"Field","name":{"kind":"Name","value":"hechshers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"symbol"}},{"kind":"Field","name":{"kind":"Name","value":"dairyMeatPareve"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"front"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"size"},"value":{"kind":"EnumValue","value":"SMALL"}},{"kind":"Argument","name":{"kind":"Name","value":"format"},"value":{"kind":"EnumValue","value":"WEBP"}}]}]}}]}}]}}]} as unknown as DocumentNode<ProductCardQuery, ProductCardQueryVariables>;
export const PricingDocument = {"__meta__":{"hash":"sha256:b97bbdbdf39683e5e79ad9c6ec4f42860fd5940d5789daf27332e17dd9124fec"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Pricing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pricing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"actions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"credits"}}]}}]}}]}}]} as unknown as DocumentNode<PricingQuery, PricingQueryVariables>;
export const ShelfCheckDocument = {"__meta__":{"hash":"sha256:42f91c7ff6ecf4badb095ffc24c12e4e53c93a02fd0f547cfd8e9e54794d6967"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ShelfCheck"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"barcodes"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bulkCheck"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"barcodes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"barcodes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"barcode"}},{"kind":"Field","name":{"kind":"Name","value":"exists"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]} as unknown as DocumentNode<ShelfCheckQuery, ShelfCheckQueryVariables>;