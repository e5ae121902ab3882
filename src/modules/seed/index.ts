// The seed module: a deterministic catalog generator (GS1-valid barcodes, real agencies' hechshers, labels that
// agree, studio images) used by `npm run seed`, the demo catalog of `npm start`, the tests and the bench.
export { seedCatalog } from './seed.ts';
