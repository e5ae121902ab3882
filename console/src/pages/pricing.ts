// The public price list (free, no session): what the sign-up page and the top-up page show.
import { graphql } from '../gql/index.ts';

export const PricingQuery = graphql(`
  query ConsolePricing {
    pricing {
      currency
      actions {
        action
        credits
      }
    }
  }
`);
