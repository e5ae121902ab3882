// graphql-codegen (client preset) for the console, the way a consumer's front end types its operations: every
// `graphql(`...`)` in console/src is checked against schema/schema.graphql and typed. Documents are generated as
// strings (`documentMode: 'string'`), so the bundle needs no GraphQL parser. `npm run codegen:console` rewrites
// console/src/gql (checked in, like test/consumer/gql, so a fresh clone type-checks before anything runs).
import type { CodegenConfig } from '@graphql-codegen/cli';
import { SCALARS } from '../codegen.ts';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['console/src/**/*.{ts,tsx}', '!console/src/gql/**'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    'console/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: { scalars: SCALARS, useTypeImports: true, enumsAsTypes: true, documentMode: 'string' },
    },
  },
};

export default config;
