// Console sign-up and sign-in settings (docs/console.md, docs/operations.md#configuration).
import { z } from 'zod';
import { configSection, int, type SectionValue } from '../../platform/config/section.ts';

export const peopleConfig = configSection(
  {
    /** Who may create an account in the console: open, invite (by an owner only) or off. Default open, invite in production. */
    SIGNUP: z.enum(['open', 'invite', 'off']).optional(),
    /** Failed console sign-ins per minute per (e-mail, IP); per IP alone it is five times as many. */
    CONSOLE_SIGNIN_FAILED_PER_MINUTE: int(1, 10_000).default(10),
  },
  (e, common) => ({
    signup: e.SIGNUP ?? (common.production ? 'invite' : 'open'),
    failedPerMinute: e.CONSOLE_SIGNIN_FAILED_PER_MINUTE,
    production: common.production,
  }),
);
export type PeopleConfig = SectionValue<typeof peopleConfig>;
