// graphql-codegen (client preset) over the checked-in SDL: what a consumer app runs to get a typed client.
// Here it types the sample consumer under test/consumer/ (a test regenerates it and type-checks it).
import type { CodegenConfig } from '@graphql-codegen/cli';

/** How our custom and graphql-scalars scalars arrive in JSON. */
export const SCALARS = {
  Barcode: 'string',
  Credits: 'number',
  Date: 'string',
  DateTime: 'string',
  NonNegativeInt: 'number',
  URL: 'string',
};

export function codegenConfig(outDir = 'test/consumer/gql/'): CodegenConfig {
  return {
    schema: 'schema/schema.graphql',
    documents: ['test/consumer/**/*.ts', '!test/consumer/gql/**'],
    ignoreNoDocuments: false,
    emitLegacyCommonJSImports: false,
    generates: {
      [outDir]: {
        preset: 'client',
        // persisted-documents.json (hash -> document) next to the client: the server's default persisted-operation
        // store; each generated document carries its hash (`__meta__.hash`) to send as `documentId`.
        presetConfig: { persistedDocuments: true },
        config: { scalars: SCALARS, useTypeImports: true, enumsAsTypes: true },
      },
    },
  };
}

export default codegenConfig();
