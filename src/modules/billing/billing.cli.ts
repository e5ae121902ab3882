// The billing command of the admin CLI: rates, as PUT /admin/v1/pricing sets them.
import { AppError } from '../../kernel/errors.ts';
import type { CliCommand } from '../../platform/cli/cli-command.ts';
import { PricingService } from './pricing.service.ts';

export const billingCli = (): CliCommand[] => [
  {
    name: 'set-pricing',
    usage: '  set-pricing     --action <name> --credits <n> [--action .. --credits ..]',
    options: { action: { type: 'string', multiple: true }, credits: { type: 'string', multiple: true } },
    run: async (r) => {
      const actions = (r.values.action as string[] | undefined) ?? [];
      const amounts = (r.values.credits as string[] | undefined) ?? [];
      if (actions.length === 0 || actions.length !== amounts.length)
        throw new AppError('bad_request', 'give --action and --credits in pairs');
      return new PricingService(r.sql).update(Object.fromEntries(actions.map((a, i) => [a, amounts[i]])));
    },
  },
];
