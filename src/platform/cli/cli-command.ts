// The admin CLI's commands (docs/admin.md#cli): each module contributes the commands over its own services, the
// entry point (src/main/cli/admin.cli.ts) parses the arguments once and runs the one named. A command gets the
// database, its flags and positionals, and opens shared state or the blob store only when it needs them.

import { AppError } from '../../kernel/errors.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Sql } from '../db/client.ts';
import type { SharedState } from '../shared-state/shared-state.ts';

/** A flag of the CLI (node:util parseArgs). */
export type CliOption = { type: 'string' | 'boolean'; multiple?: boolean };

export interface CliRun {
  sql: Sql;
  /** Every flag given (strings, string lists or booleans). */
  values: Record<string, unknown>;
  positionals: string[];
  /** Shared state (REDIS_URL, else an in-process stand-in): opened on first use, closed by the entry point. */
  sharedState(): Promise<SharedState>;
  /** Whether REDIS_URL names a store the servers share (else nothing is published to them). */
  sharedStateConfigured: boolean;
  /** The blob store: opened on first use, closed by the entry point. */
  blobs(): Promise<BlobStore>;
}

export interface CliCommand {
  name: string;
  /** Its lines in the usage text, starting with the name. */
  usage: string;
  /** The flags it reads. */
  options?: Record<string, CliOption>;
  /** The JSON-able answer printed to stdout. */
  run(r: CliRun): Promise<unknown>;
}

export const cliList = (s: string | undefined) =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

export const cliNumber = (s: string | undefined) => (s === undefined ? undefined : s === 'none' ? null : Number(s));

export function cliRequired(v: unknown, flag: string): string {
  if (typeof v !== 'string' || !v) throw new AppError('bad_request', `--${flag} is required`);
  return v;
}

export const cliString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
