// `npm run samples:write` rewrites the x-codeSamples of schema/openapi.yaml from the reference clients' tested
// examples; `npm run check:samples` (part of `npm run check`) fails when they have drifted apart, and both refuse a
// document with an operation that has no samples (src/platform/docs-site/code-samples.ts says how samples are made).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  codeSamplesDrift,
  OPENAPI_FILE,
  unsampledMessage,
  unsampledOperations,
  withCodeSamples,
} from '../../platform/docs-site/code-samples.ts';

// --file lets a test point the check at a deliberately stale copy.
const i = process.argv.indexOf('--file');
const file = i > 0 ? path.resolve(process.argv[i + 1]) : OPENAPI_FILE;
if (process.argv.includes('--check')) {
  const drift = codeSamplesDrift(file);
  if (drift) {
    process.stderr.write(`${drift}\n`);
    process.exit(1);
  }
  process.stdout.write("schema/openapi.yaml: x-codeSamples match the clients' examples.\n");
} else {
  const yaml = readFileSync(file, 'utf8');
  const unsampled = unsampledOperations(yaml);
  if (unsampled.length) {
    process.stderr.write(`${unsampledMessage(file, unsampled)}\n`);
    process.exit(1);
  }
  const next = withCodeSamples(yaml);
  if (next !== yaml) writeFileSync(file, next);
  process.stdout.write(next === yaml ? 'x-codeSamples already current.\n' : `x-codeSamples written to ${file}\n`);
}
