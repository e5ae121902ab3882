// The images commands of the admin CLI (docs/admin.md#cli): trace a signed URL, import a folder of images, and
// identify whose signed URL a leaked copy came from.
import type { KeyEntry } from '../../kernel/key-ring.ts';
import { createLogger } from '../../kernel/logger.ts';
import { type CliCommand, cliRequired, cliString } from '../../platform/cli/cli-command.ts';

export function imagesCli(keys: { urlKeys: KeyEntry[]; markKeys: KeyEntry[] }): CliCommand[] {
  return [
    {
      name: 'trace',
      usage: '  trace           <signed image token or URL>',
      run: async (r) => {
        const { traceToken } = await import('./trace.cli.ts');
        const token = cliRequired(r.positionals[0], 'token');
        return traceToken(
          { sql: r.sql, state: await r.sharedState(), keys: keys.urlKeys, log: createLogger('warn') },
          token,
        );
      },
    },
    {
      name: 'import-images',
      usage: '  import-images   <folder> [--metadata <file.jsonl>]',
      options: { metadata: { type: 'string' } },
      run: async (r) => {
        const { importImages } = await import('./image-import.cli.ts');
        return importImages({ sql: r.sql, blobs: await r.blobs() }, cliRequired(r.positionals[0], 'folder'), {
          metadata: cliString(r.values.metadata),
          progress: process.stderr.isTTY,
        });
      },
    },
    {
      name: 'identify',
      usage: '  identify        <image file> [--barcode <b> --variant <v>]  (whose signed URL a leaked copy came from)',
      options: { barcode: { type: 'string' }, variant: { type: 'string' } },
      run: async (r) => {
        const { identifyFile } = await import('./identify.cli.ts');
        return identifyFile(
          { sql: r.sql, blobs: await r.blobs(), keys: keys.markKeys, log: createLogger('warn') },
          cliRequired(r.positionals[0], 'file'),
          { barcode: cliString(r.values.barcode), variant: cliString(r.values.variant) },
          process.stderr.isTTY ? (n) => process.stderr.write(`\rhashing catalog masters: ${n}`) : undefined,
        );
      },
    },
  ];
}
