/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query OperatorAccounts($search: String, $first: Int) {\n    operatorAccounts(search: $search, first: $first) {\n      accountId\n      name\n      owners\n      balance\n      clients\n      createdAt\n    }\n  }\n": typeof types.OperatorAccountsDocument,
    "\n  mutation OperatorGrantCredits($accountId: ID!, $amount: Credits!, $reason: String!, $idempotencyKey: String!) {\n    operatorGrantCredits(accountId: $accountId, amount: $amount, reason: $reason, idempotencyKey: $idempotencyKey)\n  }\n": typeof types.OperatorGrantCreditsDocument,
    "\n  query OperatorWebhookHealth {\n    operatorWebhookHealth {\n      queued\n      retrying\n      delivered\n      failed\n      retries\n      oldestDueSeconds\n    }\n  }\n": typeof types.OperatorWebhookHealthDocument,
    "\n  query OperatorSessionQuery {\n    operatorSession {\n      operatorId\n      email\n      csrfToken\n    }\n  }\n": typeof types.OperatorSessionQueryDocument,
    "\n  mutation OperatorSignIn($email: String!, $password: String!, $totp: String!) {\n    operatorSignIn(email: $email, password: $password, totp: $totp) {\n      operatorId\n      email\n      csrfToken\n    }\n  }\n": typeof types.OperatorSignInDocument,
    "\n  mutation OperatorSignOut {\n    operatorSignOut\n  }\n": typeof types.OperatorSignOutDocument,
    "\n  query OperatorTraceImage($url: String!) {\n    operatorTraceImage(url: $url) {\n      accountId\n      clientId\n      grantId\n      barcode\n      variant\n      size\n      format\n      ip\n      issuedAt\n      expiresAt\n      redeemed\n      redeemedAt\n      redeemedIp\n    }\n  }\n": typeof types.OperatorTraceImageDocument,
    "\n  mutation OperatorIdentifyImage($imageBase64: String!) {\n    operatorIdentifyImage(imageBase64: $imageBase64) {\n      accountId\n      clientId\n      grantId\n      barcode\n      variant\n      confidence\n      imageSimilarity\n    }\n  }\n": typeof types.OperatorIdentifyImageDocument,
    "\n  query OperatorPricing {\n    pricing {\n      currency\n      updatedAt\n      actions {\n        action\n        credits\n      }\n    }\n    operatorPackages {\n      packageId\n      credits\n      price\n      currency\n      active\n    }\n  }\n": typeof types.OperatorPricingDocument,
    "\n  mutation OperatorSetPrices($prices: [OperatorPriceInput!]!) {\n    operatorSetPrices(prices: $prices)\n  }\n": typeof types.OperatorSetPricesDocument,
    "\n  mutation OperatorSavePackage($input: OperatorPackageInput!) {\n    operatorSavePackage(input: $input) {\n      packageId\n    }\n  }\n": typeof types.OperatorSavePackageDocument,
    "\n  query OperatorProduct($barcode: String!) {\n    operatorProduct(barcode: $barcode) {\n      barcode\n      gtin14\n      brand\n      productName\n      netWeight\n      ownership\n      productDescription\n      category\n      bracha\n      kosherForPassover\n      hechshers {\n        symbol\n        org\n        dairyMeatPareve\n        dairyEquipment\n        passover\n        qualifiers\n      }\n      ingredients\n      allergens\n      nutrition {\n        servingSize\n        servingsPerContainer\n        calories\n        totalFatG\n        saturatedFatG\n        transFatG\n        cholesterolMg\n        sodiumMg\n        totalCarbohydrateG\n        dietaryFiberG\n        totalSugarsG\n        addedSugarsG\n        proteinG\n        vitaminDMcg\n        calciumMg\n        ironMg\n        potassiumMg\n      }\n      updatedAt\n      images {\n        variant\n        format\n        width\n        height\n        fileSizeBytes\n        uploadedAt\n      }\n    }\n  }\n": typeof types.OperatorProductDocument,
    "\n  mutation OperatorSaveProduct($barcode: String!, $input: OperatorProductInput!) {\n    operatorSaveProduct(barcode: $barcode, input: $input) {\n      barcode\n      outcome\n    }\n  }\n": typeof types.OperatorSaveProductDocument,
    "\n  mutation OperatorUploadImage($barcode: String!, $variant: String!, $contentType: String!, $imageBase64: String!) {\n    operatorUploadImage(barcode: $barcode, variant: $variant, contentType: $contentType, imageBase64: $imageBase64) {\n      variant\n      width\n      height\n      changed\n    }\n  }\n": typeof types.OperatorUploadImageDocument,
    "\n  query OperatorTopUps($status: TopUpStatus, $first: Int) {\n    operatorTopUps(status: $status, first: $first) {\n      topUpId\n      accountId\n      accountName\n      packageId\n      credits\n      price\n      currency\n      status\n      requestedAt\n      requestedBy\n      decidedAt\n      decidedBy\n    }\n  }\n": typeof types.OperatorTopUpsDocument,
    "\n  mutation OperatorConfirmTopUp($topUpId: ID!) {\n    operatorConfirmTopUp(topUpId: $topUpId) {\n      topUpId\n      status\n    }\n  }\n": typeof types.OperatorConfirmTopUpDocument,
    "\n  mutation OperatorRejectTopUp($topUpId: ID!, $note: String!) {\n    operatorRejectTopUp(topUpId: $topUpId, note: $note) {\n      topUpId\n      status\n    }\n  }\n": typeof types.OperatorRejectTopUpDocument,
    "\n  mutation ConsoleSignOut {\n    consoleSignOut\n  }\n": typeof types.ConsoleSignOutDocument,
    "\n  mutation ConsoleResendVerification {\n    consoleResendVerification {\n      devLink\n    }\n  }\n": typeof types.ConsoleResendVerificationDocument,
    "\n  query ConsoleAuditLog($first: Int, $before: String) {\n    consoleAuditLog(first: $first, before: $before) {\n      nextBefore\n      entries {\n        id\n        at\n        actorKind\n        actor\n        action\n        target\n        details\n        ip\n      }\n    }\n  }\n": typeof types.ConsoleAuditLogDocument,
    "\n  mutation ConsoleSignIn($email: String!, $password: String!) {\n    consoleSignIn(email: $email, password: $password) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": typeof types.ConsoleSignInDocument,
    "\n  mutation ConsoleSignUp($email: String!, $password: String!, $accountName: String!, $name: String) {\n    consoleSignUp(email: $email, password: $password, accountName: $accountName, name: $name) {\n      devLink\n    }\n  }\n": typeof types.ConsoleSignUpDocument,
    "\n  mutation ConsoleVerifyEmail($token: String!) {\n    consoleVerifyEmail(token: $token) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": typeof types.ConsoleVerifyEmailDocument,
    "\n  mutation ConsoleRequestPasswordReset($email: String!) {\n    consoleRequestPasswordReset(email: $email) {\n      devLink\n    }\n  }\n": typeof types.ConsoleRequestPasswordResetDocument,
    "\n  mutation ConsoleResetPassword($token: String!, $password: String!) {\n    consoleResetPassword(token: $token, password: $password)\n  }\n": typeof types.ConsoleResetPasswordDocument,
    "\n  mutation ConsoleAcceptInvitation($token: String!, $password: String!, $name: String) {\n    consoleAcceptInvitation(token: $token, password: $password, name: $name) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": typeof types.ConsoleAcceptInvitationDocument,
    "\n  query ConsoleApiClients {\n    consoleApiClients {\n      clientId\n      name\n      mode\n      tier\n      enabled\n      ipAllowlist\n      scopeBrands\n      expiresAt\n      createdAt\n      lastUsedAt\n      keyHint\n    }\n  }\n": typeof types.ConsoleApiClientsDocument,
    "\n  mutation ConsoleCreateApiClient($input: ConsoleApiClientInput!) {\n    consoleCreateApiClient(input: $input) {\n      apiKey\n      curl\n      client {\n        clientId\n        name\n      }\n    }\n  }\n": typeof types.ConsoleCreateApiClientDocument,
    "\n  mutation ConsoleRotateApiKey($clientId: ID!, $retirePreviousNow: Boolean) {\n    consoleRotateApiKey(clientId: $clientId, retirePreviousNow: $retirePreviousNow) {\n      apiKey\n      curl\n      previousKeyValidUntil\n      client {\n        clientId\n        name\n      }\n    }\n  }\n": typeof types.ConsoleRotateApiKeyDocument,
    "\n  mutation ConsoleRevokeApiClientSessions($clientId: ID!) {\n    consoleRevokeApiClientSessions(clientId: $clientId) {\n      clientId\n    }\n  }\n": typeof types.ConsoleRevokeApiClientSessionsDocument,
    "\n  mutation ConsoleUpdateApiClient($clientId: ID!, $patch: ConsoleApiClientPatch!) {\n    consoleUpdateApiClient(clientId: $clientId, patch: $patch) {\n      clientId\n      enabled\n    }\n  }\n": typeof types.ConsoleUpdateApiClientDocument,
    "\n  query ConsoleLedger($first: Int, $before: String) {\n    consoleLedger(first: $first, before: $before) {\n      nextBefore\n      entries {\n        id\n        at\n        kind\n        amount\n        balanceAfter\n        clientId\n        requestId\n        reason\n      }\n    }\n  }\n": typeof types.ConsoleLedgerDocument,
    "\n  query ConsoleOverview {\n    consoleOverview {\n      asOf\n      balance\n      spentToday\n      spentThisMonth\n      spendSeries {\n        day\n        amount\n        requests\n      }\n      rateLimits {\n        clientId\n        name\n        mode\n        minute {\n          limit\n          remaining\n          reset\n        }\n        day {\n          limit\n          remaining\n          reset\n        }\n      }\n    }\n  }\n": typeof types.ConsoleOverviewDocument,
    "\n  query ConsoleTeam {\n    consoleTeam {\n      userId\n      email\n      name\n      role\n      emailVerified\n      createdAt\n    }\n    consoleInvitations {\n      invitationId\n      email\n      role\n      invitedBy\n      expiresAt\n    }\n  }\n": typeof types.ConsoleTeamDocument,
    "\n  mutation ConsoleInvite($email: String!, $role: ConsoleRole!) {\n    consoleInvite(email: $email, role: $role) {\n      devLink\n      invitation {\n        invitationId\n        email\n      }\n    }\n  }\n": typeof types.ConsoleInviteDocument,
    "\n  mutation ConsoleRevokeInvitation($invitationId: ID!) {\n    consoleRevokeInvitation(invitationId: $invitationId)\n  }\n": typeof types.ConsoleRevokeInvitationDocument,
    "\n  mutation ConsoleSetMemberRole($userId: ID!, $role: ConsoleRole!) {\n    consoleSetMemberRole(userId: $userId, role: $role) {\n      userId\n      role\n    }\n  }\n": typeof types.ConsoleSetMemberRoleDocument,
    "\n  mutation ConsoleRemoveMember($userId: ID!) {\n    consoleRemoveMember(userId: $userId)\n  }\n": typeof types.ConsoleRemoveMemberDocument,
    "\n  query ConsoleTopUps {\n    creditPackages {\n      packageId\n      credits\n      price\n      currency\n      active\n    }\n    consoleTopUps {\n      topUpId\n      packageId\n      credits\n      price\n      currency\n      status\n      requestedAt\n      requestedBy\n      decidedAt\n      note\n    }\n  }\n": typeof types.ConsoleTopUpsDocument,
    "\n  mutation ConsoleRequestTopUp($packageId: ID!) {\n    consoleRequestTopUp(packageId: $packageId) {\n      topUpId\n      status\n    }\n  }\n": typeof types.ConsoleRequestTopUpDocument,
    "\n  mutation ConsoleCancelTopUp($topUpId: ID!) {\n    consoleCancelTopUp(topUpId: $topUpId) {\n      topUpId\n      status\n    }\n  }\n": typeof types.ConsoleCancelTopUpDocument,
    "\n  query ConsoleUsage($from: Date, $to: Date) {\n    consoleUsage(from: $from, to: $to) {\n      from\n      to\n      totalRequests\n      totalAmount\n      rows {\n        day\n        clientId\n        clientName\n        mode\n        action\n        scope\n        variant\n        requests\n        units\n        amount\n      }\n    }\n  }\n": typeof types.ConsoleUsageDocument,
    "\n  query ConsoleWebhooks {\n    consoleApiClients {\n      clientId\n      name\n    }\n    consoleWebhooks {\n      id\n      clientId\n      url\n      events\n      enabled\n      disabledReason\n      failingSince\n      createdAt\n      deliveries(limit: 10) {\n        deliveryId\n        event\n        kind\n        status\n        attempts\n        lastStatusCode\n        lastError\n        createdAt\n      }\n    }\n  }\n": typeof types.ConsoleWebhooksDocument,
    "\n  mutation ConsoleCreateWebhook($clientId: ID!, $url: String!, $events: [String!]!) {\n    consoleCreateWebhook(clientId: $clientId, url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": typeof types.ConsoleCreateWebhookDocument,
    "\n  mutation ConsoleRotateWebhookSecret($id: ID!) {\n    consoleRotateWebhookSecret(id: $id) {\n      secret\n      previousSecretValidUntil\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": typeof types.ConsoleRotateWebhookSecretDocument,
    "\n  mutation ConsoleTestWebhook($id: ID!) {\n    consoleTestWebhook(id: $id) {\n      deliveryId\n      status\n    }\n  }\n": typeof types.ConsoleTestWebhookDocument,
    "\n  mutation ConsoleReplayWebhook($id: ID!, $since: DateTime!) {\n    consoleReplayWebhook(id: $id, since: $since)\n  }\n": typeof types.ConsoleReplayWebhookDocument,
    "\n  mutation ConsoleUpdateWebhook($id: ID!, $enabled: Boolean) {\n    consoleUpdateWebhook(id: $id, enabled: $enabled) {\n      id\n      enabled\n    }\n  }\n": typeof types.ConsoleUpdateWebhookDocument,
    "\n  mutation ConsoleDeleteWebhook($id: ID!) {\n    consoleDeleteWebhook(id: $id)\n  }\n": typeof types.ConsoleDeleteWebhookDocument,
    "\n  query ConsoleSessionQuery {\n    consoleSession {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": typeof types.ConsoleSessionQueryDocument,
};
const documents: Documents = {
    "\n  query OperatorAccounts($search: String, $first: Int) {\n    operatorAccounts(search: $search, first: $first) {\n      accountId\n      name\n      owners\n      balance\n      clients\n      createdAt\n    }\n  }\n": types.OperatorAccountsDocument,
    "\n  mutation OperatorGrantCredits($accountId: ID!, $amount: Credits!, $reason: String!, $idempotencyKey: String!) {\n    operatorGrantCredits(accountId: $accountId, amount: $amount, reason: $reason, idempotencyKey: $idempotencyKey)\n  }\n": types.OperatorGrantCreditsDocument,
    "\n  query OperatorWebhookHealth {\n    operatorWebhookHealth {\n      queued\n      retrying\n      delivered\n      failed\n      retries\n      oldestDueSeconds\n    }\n  }\n": types.OperatorWebhookHealthDocument,
    "\n  query OperatorSessionQuery {\n    operatorSession {\n      operatorId\n      email\n      csrfToken\n    }\n  }\n": types.OperatorSessionQueryDocument,
    "\n  mutation OperatorSignIn($email: String!, $password: String!, $totp: String!) {\n    operatorSignIn(email: $email, password: $password, totp: $totp) {\n      operatorId\n      email\n      csrfToken\n    }\n  }\n": types.OperatorSignInDocument,
    "\n  mutation OperatorSignOut {\n    operatorSignOut\n  }\n": types.OperatorSignOutDocument,
    "\n  query OperatorTraceImage($url: String!) {\n    operatorTraceImage(url: $url) {\n      accountId\n      clientId\n      grantId\n      barcode\n      variant\n      size\n      format\n      ip\n      issuedAt\n      expiresAt\n      redeemed\n      redeemedAt\n      redeemedIp\n    }\n  }\n": types.OperatorTraceImageDocument,
    "\n  mutation OperatorIdentifyImage($imageBase64: String!) {\n    operatorIdentifyImage(imageBase64: $imageBase64) {\n      accountId\n      clientId\n      grantId\n      barcode\n      variant\n      confidence\n      imageSimilarity\n    }\n  }\n": types.OperatorIdentifyImageDocument,
    "\n  query OperatorPricing {\n    pricing {\n      currency\n      updatedAt\n      actions {\n        action\n        credits\n      }\n    }\n    operatorPackages {\n      packageId\n      credits\n      price\n      currency\n      active\n    }\n  }\n": types.OperatorPricingDocument,
    "\n  mutation OperatorSetPrices($prices: [OperatorPriceInput!]!) {\n    operatorSetPrices(prices: $prices)\n  }\n": types.OperatorSetPricesDocument,
    "\n  mutation OperatorSavePackage($input: OperatorPackageInput!) {\n    operatorSavePackage(input: $input) {\n      packageId\n    }\n  }\n": types.OperatorSavePackageDocument,
    "\n  query OperatorProduct($barcode: String!) {\n    operatorProduct(barcode: $barcode) {\n      barcode\n      gtin14\n      brand\n      productName\n      netWeight\n      ownership\n      productDescription\n      category\n      bracha\n      kosherForPassover\n      hechshers {\n        symbol\n        org\n        dairyMeatPareve\n        dairyEquipment\n        passover\n        qualifiers\n      }\n      ingredients\n      allergens\n      nutrition {\n        servingSize\n        servingsPerContainer\n        calories\n        totalFatG\n        saturatedFatG\n        transFatG\n        cholesterolMg\n        sodiumMg\n        totalCarbohydrateG\n        dietaryFiberG\n        totalSugarsG\n        addedSugarsG\n        proteinG\n        vitaminDMcg\n        calciumMg\n        ironMg\n        potassiumMg\n      }\n      updatedAt\n      images {\n        variant\n        format\n        width\n        height\n        fileSizeBytes\n        uploadedAt\n      }\n    }\n  }\n": types.OperatorProductDocument,
    "\n  mutation OperatorSaveProduct($barcode: String!, $input: OperatorProductInput!) {\n    operatorSaveProduct(barcode: $barcode, input: $input) {\n      barcode\n      outcome\n    }\n  }\n": types.OperatorSaveProductDocument,
    "\n  mutation OperatorUploadImage($barcode: String!, $variant: String!, $contentType: String!, $imageBase64: String!) {\n    operatorUploadImage(barcode: $barcode, variant: $variant, contentType: $contentType, imageBase64: $imageBase64) {\n      variant\n      width\n      height\n      changed\n    }\n  }\n": types.OperatorUploadImageDocument,
    "\n  query OperatorTopUps($status: TopUpStatus, $first: Int) {\n    operatorTopUps(status: $status, first: $first) {\n      topUpId\n      accountId\n      accountName\n      packageId\n      credits\n      price\n      currency\n      status\n      requestedAt\n      requestedBy\n      decidedAt\n      decidedBy\n    }\n  }\n": types.OperatorTopUpsDocument,
    "\n  mutation OperatorConfirmTopUp($topUpId: ID!) {\n    operatorConfirmTopUp(topUpId: $topUpId) {\n      topUpId\n      status\n    }\n  }\n": types.OperatorConfirmTopUpDocument,
    "\n  mutation OperatorRejectTopUp($topUpId: ID!, $note: String!) {\n    operatorRejectTopUp(topUpId: $topUpId, note: $note) {\n      topUpId\n      status\n    }\n  }\n": types.OperatorRejectTopUpDocument,
    "\n  mutation ConsoleSignOut {\n    consoleSignOut\n  }\n": types.ConsoleSignOutDocument,
    "\n  mutation ConsoleResendVerification {\n    consoleResendVerification {\n      devLink\n    }\n  }\n": types.ConsoleResendVerificationDocument,
    "\n  query ConsoleAuditLog($first: Int, $before: String) {\n    consoleAuditLog(first: $first, before: $before) {\n      nextBefore\n      entries {\n        id\n        at\n        actorKind\n        actor\n        action\n        target\n        details\n        ip\n      }\n    }\n  }\n": types.ConsoleAuditLogDocument,
    "\n  mutation ConsoleSignIn($email: String!, $password: String!) {\n    consoleSignIn(email: $email, password: $password) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": types.ConsoleSignInDocument,
    "\n  mutation ConsoleSignUp($email: String!, $password: String!, $accountName: String!, $name: String) {\n    consoleSignUp(email: $email, password: $password, accountName: $accountName, name: $name) {\n      devLink\n    }\n  }\n": types.ConsoleSignUpDocument,
    "\n  mutation ConsoleVerifyEmail($token: String!) {\n    consoleVerifyEmail(token: $token) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": types.ConsoleVerifyEmailDocument,
    "\n  mutation ConsoleRequestPasswordReset($email: String!) {\n    consoleRequestPasswordReset(email: $email) {\n      devLink\n    }\n  }\n": types.ConsoleRequestPasswordResetDocument,
    "\n  mutation ConsoleResetPassword($token: String!, $password: String!) {\n    consoleResetPassword(token: $token, password: $password)\n  }\n": types.ConsoleResetPasswordDocument,
    "\n  mutation ConsoleAcceptInvitation($token: String!, $password: String!, $name: String) {\n    consoleAcceptInvitation(token: $token, password: $password, name: $name) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": types.ConsoleAcceptInvitationDocument,
    "\n  query ConsoleApiClients {\n    consoleApiClients {\n      clientId\n      name\n      mode\n      tier\n      enabled\n      ipAllowlist\n      scopeBrands\n      expiresAt\n      createdAt\n      lastUsedAt\n      keyHint\n    }\n  }\n": types.ConsoleApiClientsDocument,
    "\n  mutation ConsoleCreateApiClient($input: ConsoleApiClientInput!) {\n    consoleCreateApiClient(input: $input) {\n      apiKey\n      curl\n      client {\n        clientId\n        name\n      }\n    }\n  }\n": types.ConsoleCreateApiClientDocument,
    "\n  mutation ConsoleRotateApiKey($clientId: ID!, $retirePreviousNow: Boolean) {\n    consoleRotateApiKey(clientId: $clientId, retirePreviousNow: $retirePreviousNow) {\n      apiKey\n      curl\n      previousKeyValidUntil\n      client {\n        clientId\n        name\n      }\n    }\n  }\n": types.ConsoleRotateApiKeyDocument,
    "\n  mutation ConsoleRevokeApiClientSessions($clientId: ID!) {\n    consoleRevokeApiClientSessions(clientId: $clientId) {\n      clientId\n    }\n  }\n": types.ConsoleRevokeApiClientSessionsDocument,
    "\n  mutation ConsoleUpdateApiClient($clientId: ID!, $patch: ConsoleApiClientPatch!) {\n    consoleUpdateApiClient(clientId: $clientId, patch: $patch) {\n      clientId\n      enabled\n    }\n  }\n": types.ConsoleUpdateApiClientDocument,
    "\n  query ConsoleLedger($first: Int, $before: String) {\n    consoleLedger(first: $first, before: $before) {\n      nextBefore\n      entries {\n        id\n        at\n        kind\n        amount\n        balanceAfter\n        clientId\n        requestId\n        reason\n      }\n    }\n  }\n": types.ConsoleLedgerDocument,
    "\n  query ConsoleOverview {\n    consoleOverview {\n      asOf\n      balance\n      spentToday\n      spentThisMonth\n      spendSeries {\n        day\n        amount\n        requests\n      }\n      rateLimits {\n        clientId\n        name\n        mode\n        minute {\n          limit\n          remaining\n          reset\n        }\n        day {\n          limit\n          remaining\n          reset\n        }\n      }\n    }\n  }\n": types.ConsoleOverviewDocument,
    "\n  query ConsoleTeam {\n    consoleTeam {\n      userId\n      email\n      name\n      role\n      emailVerified\n      createdAt\n    }\n    consoleInvitations {\n      invitationId\n      email\n      role\n      invitedBy\n      expiresAt\n    }\n  }\n": types.ConsoleTeamDocument,
    "\n  mutation ConsoleInvite($email: String!, $role: ConsoleRole!) {\n    consoleInvite(email: $email, role: $role) {\n      devLink\n      invitation {\n        invitationId\n        email\n      }\n    }\n  }\n": types.ConsoleInviteDocument,
    "\n  mutation ConsoleRevokeInvitation($invitationId: ID!) {\n    consoleRevokeInvitation(invitationId: $invitationId)\n  }\n": types.ConsoleRevokeInvitationDocument,
    "\n  mutation ConsoleSetMemberRole($userId: ID!, $role: ConsoleRole!) {\n    consoleSetMemberRole(userId: $userId, role: $role) {\n      userId\n      role\n    }\n  }\n": types.ConsoleSetMemberRoleDocument,
    "\n  mutation ConsoleRemoveMember($userId: ID!) {\n    consoleRemoveMember(userId: $userId)\n  }\n": types.ConsoleRemoveMemberDocument,
    "\n  query ConsoleTopUps {\n    creditPackages {\n      packageId\n      credits\n      price\n      currency\n      active\n    }\n    consoleTopUps {\n      topUpId\n      packageId\n      credits\n      price\n      currency\n      status\n      requestedAt\n      requestedBy\n      decidedAt\n      note\n    }\n  }\n": types.ConsoleTopUpsDocument,
    "\n  mutation ConsoleRequestTopUp($packageId: ID!) {\n    consoleRequestTopUp(packageId: $packageId) {\n      topUpId\n      status\n    }\n  }\n": types.ConsoleRequestTopUpDocument,
    "\n  mutation ConsoleCancelTopUp($topUpId: ID!) {\n    consoleCancelTopUp(topUpId: $topUpId) {\n      topUpId\n      status\n    }\n  }\n": types.ConsoleCancelTopUpDocument,
    "\n  query ConsoleUsage($from: Date, $to: Date) {\n    consoleUsage(from: $from, to: $to) {\n      from\n      to\n      totalRequests\n      totalAmount\n      rows {\n        day\n        clientId\n        clientName\n        mode\n        action\n        scope\n        variant\n        requests\n        units\n        amount\n      }\n    }\n  }\n": types.ConsoleUsageDocument,
    "\n  query ConsoleWebhooks {\n    consoleApiClients {\n      clientId\n      name\n    }\n    consoleWebhooks {\n      id\n      clientId\n      url\n      events\n      enabled\n      disabledReason\n      failingSince\n      createdAt\n      deliveries(limit: 10) {\n        deliveryId\n        event\n        kind\n        status\n        attempts\n        lastStatusCode\n        lastError\n        createdAt\n      }\n    }\n  }\n": types.ConsoleWebhooksDocument,
    "\n  mutation ConsoleCreateWebhook($clientId: ID!, $url: String!, $events: [String!]!) {\n    consoleCreateWebhook(clientId: $clientId, url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": types.ConsoleCreateWebhookDocument,
    "\n  mutation ConsoleRotateWebhookSecret($id: ID!) {\n    consoleRotateWebhookSecret(id: $id) {\n      secret\n      previousSecretValidUntil\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": types.ConsoleRotateWebhookSecretDocument,
    "\n  mutation ConsoleTestWebhook($id: ID!) {\n    consoleTestWebhook(id: $id) {\n      deliveryId\n      status\n    }\n  }\n": types.ConsoleTestWebhookDocument,
    "\n  mutation ConsoleReplayWebhook($id: ID!, $since: DateTime!) {\n    consoleReplayWebhook(id: $id, since: $since)\n  }\n": types.ConsoleReplayWebhookDocument,
    "\n  mutation ConsoleUpdateWebhook($id: ID!, $enabled: Boolean) {\n    consoleUpdateWebhook(id: $id, enabled: $enabled) {\n      id\n      enabled\n    }\n  }\n": types.ConsoleUpdateWebhookDocument,
    "\n  mutation ConsoleDeleteWebhook($id: ID!) {\n    consoleDeleteWebhook(id: $id)\n  }\n": types.ConsoleDeleteWebhookDocument,
    "\n  query ConsoleSessionQuery {\n    consoleSession {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n": types.ConsoleSessionQueryDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorAccounts($search: String, $first: Int) {\n    operatorAccounts(search: $search, first: $first) {\n      accountId\n      name\n      owners\n      balance\n      clients\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').OperatorAccountsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorGrantCredits($accountId: ID!, $amount: Credits!, $reason: String!, $idempotencyKey: String!) {\n    operatorGrantCredits(accountId: $accountId, amount: $amount, reason: $reason, idempotencyKey: $idempotencyKey)\n  }\n"): typeof import('./graphql.js').OperatorGrantCreditsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorWebhookHealth {\n    operatorWebhookHealth {\n      queued\n      retrying\n      delivered\n      failed\n      retries\n      oldestDueSeconds\n    }\n  }\n"): typeof import('./graphql.js').OperatorWebhookHealthDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorSessionQuery {\n    operatorSession {\n      operatorId\n      email\n      csrfToken\n    }\n  }\n"): typeof import('./graphql.js').OperatorSessionQueryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSignIn($email: String!, $password: String!, $totp: String!) {\n    operatorSignIn(email: $email, password: $password, totp: $totp) {\n      operatorId\n      email\n      csrfToken\n    }\n  }\n"): typeof import('./graphql.js').OperatorSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSignOut {\n    operatorSignOut\n  }\n"): typeof import('./graphql.js').OperatorSignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorTraceImage($url: String!) {\n    operatorTraceImage(url: $url) {\n      accountId\n      clientId\n      grantId\n      barcode\n      variant\n      size\n      format\n      ip\n      issuedAt\n      expiresAt\n      redeemed\n      redeemedAt\n      redeemedIp\n    }\n  }\n"): typeof import('./graphql.js').OperatorTraceImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorIdentifyImage($imageBase64: String!) {\n    operatorIdentifyImage(imageBase64: $imageBase64) {\n      accountId\n      clientId\n      grantId\n      barcode\n      variant\n      confidence\n      imageSimilarity\n    }\n  }\n"): typeof import('./graphql.js').OperatorIdentifyImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorPricing {\n    pricing {\n      currency\n      updatedAt\n      actions {\n        action\n        credits\n      }\n    }\n    operatorPackages {\n      packageId\n      credits\n      price\n      currency\n      active\n    }\n  }\n"): typeof import('./graphql.js').OperatorPricingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSetPrices($prices: [OperatorPriceInput!]!) {\n    operatorSetPrices(prices: $prices)\n  }\n"): typeof import('./graphql.js').OperatorSetPricesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSavePackage($input: OperatorPackageInput!) {\n    operatorSavePackage(input: $input) {\n      packageId\n    }\n  }\n"): typeof import('./graphql.js').OperatorSavePackageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorProduct($barcode: String!) {\n    operatorProduct(barcode: $barcode) {\n      barcode\n      gtin14\n      brand\n      productName\n      netWeight\n      ownership\n      productDescription\n      category\n      bracha\n      kosherForPassover\n      hechshers {\n        symbol\n        org\n        dairyMeatPareve\n        dairyEquipment\n        passover\n        qualifiers\n      }\n      ingredients\n      allergens\n      nutrition {\n        servingSize\n        servingsPerContainer\n        calories\n        totalFatG\n        saturatedFatG\n        transFatG\n        cholesterolMg\n        sodiumMg\n        totalCarbohydrateG\n        dietaryFiberG\n        totalSugarsG\n        addedSugarsG\n        proteinG\n        vitaminDMcg\n        calciumMg\n        ironMg\n        potassiumMg\n      }\n      updatedAt\n      images {\n        variant\n        format\n        width\n        height\n        fileSizeBytes\n        uploadedAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').OperatorProductDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorSaveProduct($barcode: String!, $input: OperatorProductInput!) {\n    operatorSaveProduct(barcode: $barcode, input: $input) {\n      barcode\n      outcome\n    }\n  }\n"): typeof import('./graphql.js').OperatorSaveProductDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorUploadImage($barcode: String!, $variant: String!, $contentType: String!, $imageBase64: String!) {\n    operatorUploadImage(barcode: $barcode, variant: $variant, contentType: $contentType, imageBase64: $imageBase64) {\n      variant\n      width\n      height\n      changed\n    }\n  }\n"): typeof import('./graphql.js').OperatorUploadImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperatorTopUps($status: TopUpStatus, $first: Int) {\n    operatorTopUps(status: $status, first: $first) {\n      topUpId\n      accountId\n      accountName\n      packageId\n      credits\n      price\n      currency\n      status\n      requestedAt\n      requestedBy\n      decidedAt\n      decidedBy\n    }\n  }\n"): typeof import('./graphql.js').OperatorTopUpsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorConfirmTopUp($topUpId: ID!) {\n    operatorConfirmTopUp(topUpId: $topUpId) {\n      topUpId\n      status\n    }\n  }\n"): typeof import('./graphql.js').OperatorConfirmTopUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OperatorRejectTopUp($topUpId: ID!, $note: String!) {\n    operatorRejectTopUp(topUpId: $topUpId, note: $note) {\n      topUpId\n      status\n    }\n  }\n"): typeof import('./graphql.js').OperatorRejectTopUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSignOut {\n    consoleSignOut\n  }\n"): typeof import('./graphql.js').ConsoleSignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResendVerification {\n    consoleResendVerification {\n      devLink\n    }\n  }\n"): typeof import('./graphql.js').ConsoleResendVerificationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAuditLog($first: Int, $before: String) {\n    consoleAuditLog(first: $first, before: $before) {\n      nextBefore\n      entries {\n        id\n        at\n        actorKind\n        actor\n        action\n        target\n        details\n        ip\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleAuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSignIn($email: String!, $password: String!) {\n    consoleSignIn(email: $email, password: $password) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSignUp($email: String!, $password: String!, $accountName: String!, $name: String) {\n    consoleSignUp(email: $email, password: $password, accountName: $accountName, name: $name) {\n      devLink\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleVerifyEmail($token: String!) {\n    consoleVerifyEmail(token: $token) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleVerifyEmailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRequestPasswordReset($email: String!) {\n    consoleRequestPasswordReset(email: $email) {\n      devLink\n    }\n  }\n"): typeof import('./graphql.js').ConsoleRequestPasswordResetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResetPassword($token: String!, $password: String!) {\n    consoleResetPassword(token: $token, password: $password)\n  }\n"): typeof import('./graphql.js').ConsoleResetPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleAcceptInvitation($token: String!, $password: String!, $name: String) {\n    consoleAcceptInvitation(token: $token, password: $password, name: $name) {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleAcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleApiClients {\n    consoleApiClients {\n      clientId\n      name\n      mode\n      tier\n      enabled\n      ipAllowlist\n      scopeBrands\n      expiresAt\n      createdAt\n      lastUsedAt\n      keyHint\n    }\n  }\n"): typeof import('./graphql.js').ConsoleApiClientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateApiClient($input: ConsoleApiClientInput!) {\n    consoleCreateApiClient(input: $input) {\n      apiKey\n      curl\n      client {\n        clientId\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleCreateApiClientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRotateApiKey($clientId: ID!, $retirePreviousNow: Boolean) {\n    consoleRotateApiKey(clientId: $clientId, retirePreviousNow: $retirePreviousNow) {\n      apiKey\n      curl\n      previousKeyValidUntil\n      client {\n        clientId\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleRotateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeApiClientSessions($clientId: ID!) {\n    consoleRevokeApiClientSessions(clientId: $clientId) {\n      clientId\n    }\n  }\n"): typeof import('./graphql.js').ConsoleRevokeApiClientSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateApiClient($clientId: ID!, $patch: ConsoleApiClientPatch!) {\n    consoleUpdateApiClient(clientId: $clientId, patch: $patch) {\n      clientId\n      enabled\n    }\n  }\n"): typeof import('./graphql.js').ConsoleUpdateApiClientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleLedger($first: Int, $before: String) {\n    consoleLedger(first: $first, before: $before) {\n      nextBefore\n      entries {\n        id\n        at\n        kind\n        amount\n        balanceAfter\n        clientId\n        requestId\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleLedgerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleOverview {\n    consoleOverview {\n      asOf\n      balance\n      spentToday\n      spentThisMonth\n      spendSeries {\n        day\n        amount\n        requests\n      }\n      rateLimits {\n        clientId\n        name\n        mode\n        minute {\n          limit\n          remaining\n          reset\n        }\n        day {\n          limit\n          remaining\n          reset\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTeam {\n    consoleTeam {\n      userId\n      email\n      name\n      role\n      emailVerified\n      createdAt\n    }\n    consoleInvitations {\n      invitationId\n      email\n      role\n      invitedBy\n      expiresAt\n    }\n  }\n"): typeof import('./graphql.js').ConsoleTeamDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleInvite($email: String!, $role: ConsoleRole!) {\n    consoleInvite(email: $email, role: $role) {\n      devLink\n      invitation {\n        invitationId\n        email\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleInviteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRevokeInvitation($invitationId: ID!) {\n    consoleRevokeInvitation(invitationId: $invitationId)\n  }\n"): typeof import('./graphql.js').ConsoleRevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSetMemberRole($userId: ID!, $role: ConsoleRole!) {\n    consoleSetMemberRole(userId: $userId, role: $role) {\n      userId\n      role\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSetMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRemoveMember($userId: ID!) {\n    consoleRemoveMember(userId: $userId)\n  }\n"): typeof import('./graphql.js').ConsoleRemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleTopUps {\n    creditPackages {\n      packageId\n      credits\n      price\n      currency\n      active\n    }\n    consoleTopUps {\n      topUpId\n      packageId\n      credits\n      price\n      currency\n      status\n      requestedAt\n      requestedBy\n      decidedAt\n      note\n    }\n  }\n"): typeof import('./graphql.js').ConsoleTopUpsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRequestTopUp($packageId: ID!) {\n    consoleRequestTopUp(packageId: $packageId) {\n      topUpId\n      status\n    }\n  }\n"): typeof import('./graphql.js').ConsoleRequestTopUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancelTopUp($topUpId: ID!) {\n    consoleCancelTopUp(topUpId: $topUpId) {\n      topUpId\n      status\n    }\n  }\n"): typeof import('./graphql.js').ConsoleCancelTopUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUsage($from: Date, $to: Date) {\n    consoleUsage(from: $from, to: $to) {\n      from\n      to\n      totalRequests\n      totalAmount\n      rows {\n        day\n        clientId\n        clientName\n        mode\n        action\n        scope\n        variant\n        requests\n        units\n        amount\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleUsageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWebhooks {\n    consoleApiClients {\n      clientId\n      name\n    }\n    consoleWebhooks {\n      id\n      clientId\n      url\n      events\n      enabled\n      disabledReason\n      failingSince\n      createdAt\n      deliveries(limit: 10) {\n        deliveryId\n        event\n        kind\n        status\n        attempts\n        lastStatusCode\n        lastError\n        createdAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleWebhooksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateWebhook($clientId: ID!, $url: String!, $events: [String!]!) {\n    consoleCreateWebhook(clientId: $clientId, url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleCreateWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleRotateWebhookSecret($id: ID!) {\n    consoleRotateWebhookSecret(id: $id) {\n      secret\n      previousSecretValidUntil\n      webhook {\n        id\n        url\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleRotateWebhookSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleTestWebhook($id: ID!) {\n    consoleTestWebhook(id: $id) {\n      deliveryId\n      status\n    }\n  }\n"): typeof import('./graphql.js').ConsoleTestWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleReplayWebhook($id: ID!, $since: DateTime!) {\n    consoleReplayWebhook(id: $id, since: $since)\n  }\n"): typeof import('./graphql.js').ConsoleReplayWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateWebhook($id: ID!, $enabled: Boolean) {\n    consoleUpdateWebhook(id: $id, enabled: $enabled) {\n      id\n      enabled\n    }\n  }\n"): typeof import('./graphql.js').ConsoleUpdateWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteWebhook($id: ID!) {\n    consoleDeleteWebhook(id: $id)\n  }\n"): typeof import('./graphql.js').ConsoleDeleteWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSessionQuery {\n    consoleSession {\n      accountId\n      accountName\n      csrfToken\n      role\n      expiresAt\n      user {\n        userId\n        email\n        name\n        emailVerified\n      }\n    }\n  }\n"): typeof import('./graphql.js').ConsoleSessionQueryDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
