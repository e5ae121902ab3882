// Which root fields a GraphQL door answers (docs/console.md#operators): a root field marked `door: 'operator'`
// (extensions) belongs to the operator console; one marked `door: 'both'` is public and read by it too. With
// ADMIN_PORT set, the public /graphql refuses operator fields and the admin listener's /admin/graphql answers only
// those two kinds; without it, /graphql answers every field and /admin/graphql still only those. Checked at
// validation, so nothing of a refused operation runs.
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.ts';

/** Pothos `extensions` of an operator console root field (merged with its billing rule). */
export const operatorDoor = { door: 'operator' } as const;
/** A public root field the operator console reads too (e.g. `pricing`): answered by both doors. */
export const bothDoors = { door: 'both' } as const;

/** What a door answers: every root field, none of the operator fields, or only them. */
export type FieldDoor = 'all' | 'public' | 'operator';

const doorOf = (extensions: unknown) => (extensions as { door?: string } | null)?.door;

function doorRule(door: Exclude<FieldDoor, 'all'>): ValidationRule {
  return (context) => ({
    Field(node) {
      const parent = context.getParentType();
      const schema = context.getSchema();
      const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
      if (!parent || !roots.includes(parent as never) || node.name.value.startsWith('__')) return;
      const marked = doorOf(context.getFieldDef()?.extensions);
      if (door === 'public' && marked === 'operator')
        context.reportError(
          new GraphQLError(`${node.name.value} is served on the admin listener only (/admin/graphql).`, {
            nodes: [node],
            extensions: { code: 'NOT_FOUND' },
          }),
        );
      if (door === 'operator' && marked !== 'operator' && marked !== 'both')
        context.reportError(
          new GraphQLError(`${node.name.value} is not an operator field; /admin/graphql serves only those.`, {
            nodes: [node],
            extensions: { code: 'NOT_FOUND' },
          }),
        );
    },
  });
}

/** The validation rule of a door, as a yoga plugin (none for 'all'). */
export function fieldDoorPlugin(door: FieldDoor): Plugin<GraphQLContext>[] {
  if (door === 'all') return [];
  const rule = doorRule(door);
  return [{ onValidate: ({ addValidationRule }) => addValidationRule(rule) }];
}
