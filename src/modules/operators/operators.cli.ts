// `npm run admin -- operator create --email <e> [--password <p>]` (docs/console.md#operators): creates an operator
// and prints the TOTP secret once (and a generated password when none was given).
import { randomBytes } from 'node:crypto';
import { AppError } from '../../kernel/errors.ts';
import { type CliCommand, cliRequired, cliString } from '../../platform/cli/cli-command.ts';
import { createOperator } from './operators.service.ts';

export function operatorsCli(): CliCommand[] {
  return [
    {
      name: 'operator',
      usage:
        '  operator create --email <e> [--password <p>]               (an operator user; prints the TOTP secret once)',
      options: { email: { type: 'string' }, password: { type: 'string' } },
      run: async (r) => {
        if (r.positionals[0] !== 'create') throw new AppError('bad_request', 'usage: operator create --email <e>');
        const given = cliString(r.values.password) ?? process.env.OPERATOR_PASSWORD;
        const password = given ?? randomBytes(18).toString('base64url');
        const out = await createOperator(r.sql, cliRequired(r.values.email, 'email'), password);
        return given ? out : { ...out, password };
      },
    },
  ];
}
