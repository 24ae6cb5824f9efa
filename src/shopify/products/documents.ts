// The GraphQL documents of the product push (Admin API 2026-10), in one place so a test can
// validate each against the pinned schema (test/shopify/product-documents.test.ts), as
// ../documents.ts does for the order documents. Field names are checked against
// shopify-admin-2026-10.introspection.json.gz.
//
// Cost: a connection costs 2 + first × its item (shopify.md §3.6); 250 variants with their
// options and 50 media keep the product read near 650 points, under the 1000-point limit.

/** What the push reads back of a product: ids, status, URL, variants and media. */
const storeProductFields = `
fragment PodBridgeStoreVariant on ProductVariant {
  id sku price
  selectedOptions { name value }
}
fragment PodBridgeStoreProduct on Product {
  id handle status title onlineStoreUrl
  variants(first: $variants) {
    pageInfo { hasNextPage endCursor }
    nodes { ...PodBridgeStoreVariant }
  }
  media(first: $media) {
    nodes {
      id
      ... on MediaImage { image { url } originalSource { url } }
    }
  }
}`

/**
 * One product, created or updated in place by its custom id
 * (https://shopify.dev/docs/api/admin-graphql/latest/mutations/productSet;
 * upsert by `identifier.customId`: https://shopify.dev/changelog/productset-and-customerset-mutations-now-support-upserts).
 * `synchronous: true` answers with the product instead of an operation to poll.
 */
export const productSetMutation = `
mutation PodBridgeProductSet($identifier: ProductSetIdentifiers!, $input: ProductSetInput!, $variants: Int!, $media: Int!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product { ...PodBridgeStoreProduct }
    userErrors { field message code }
  }
}
${storeProductFields}`

/** Look-up by custom id (https://shopify.dev/docs/apps/build/custom-data/metafields/working-with-custom-ids, step 4). */
export const productByIdentifierQuery = `
query PodBridgeProductByIdentifier($identifier: ProductIdentifierInput!, $variants: Int!, $media: Int!) {
  productByIdentifier(identifier: $identifier) { ...PodBridgeStoreProduct }
}
${storeProductFields}`

/** A product's variants past the first page (a product may have up to 2048). */
export const productVariantsPageQuery = `
query PodBridgeProductVariantsPage($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    variants(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PodBridgeStoreVariant }
    }
  }
}
fragment PodBridgeStoreVariant on ProductVariant {
  id sku price
  selectedOptions { name value }
}`

/** The custom id's definition, if the store has it. */
export const customIdDefinitionQuery = `
query PodBridgeCustomIdDefinition($namespace: String!, $key: String!) {
  metafieldDefinitions(first: 1, ownerType: PRODUCT, namespace: $namespace, key: $key) {
    nodes { id namespace key type { name } }
  }
}`

/** Step 1 of working-with-custom-ids: a PRODUCT metafield definition of type `id` (unique values). */
export const customIdDefinitionCreateMutation = `
mutation PodBridgeCustomIdDefinitionCreate($definition: MetafieldDefinitionInput!) {
  metafieldDefinitionCreate(definition: $definition) {
    createdDefinition { id namespace key type { name } }
    userErrors { field message code }
  }
}`

/**
 * The store's publications, to find the Online Store's. `Publication.name` is deprecated for
 * `catalog.title` (https://community.shopify.dev/t/publications-query-documentation-issue/24290).
 */
export const publicationsQuery = `
query PodBridgePublications($first: Int!, $after: String) {
  publications(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id catalog { title } }
  }
}`

/** An ACTIVE product is on no sales channel until published (https://shopify.dev/docs/api/admin-graphql/latest/mutations/publishablePublish). */
export const publishablePublishMutation = `
mutation PodBridgePublishablePublish($id: ID!, $input: [PublicationInput!]!) {
  publishablePublish(id: $id, input: $input) {
    userErrors { field message }
  }
}`

/** Archive: productUpdate with status ARCHIVED, no list touched (https://shopify.dev/docs/api/admin-graphql/latest/mutations/productUpdate). */
export const productArchiveMutation = `
mutation PodBridgeProductArchive($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { id status }
    userErrors { field message }
  }
}`

/**
 * Tags added or removed one by one, leaving the merchant's own: productSet's `tags` "overwrites any
 * existing tags" (ProductSetInput.tags, schema 2026-10), tagsAdd "will not interfere with other
 * preexisting tags" (https://community.shopify.com/t/updatecustomer-mutation-is-overwriting-tags-instead-of-adding-tags/34674).
 * Tags are case sensitive (https://help.shopify.com/en/manual/shopify-flow/reference/actions/remove-product-tags).
 */
export const tagsAddMutation = `
mutation PodBridgeTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}`

export const tagsRemoveMutation = `
mutation PodBridgeTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}`

/** The storefront's origin, for the URL a draft's handle will have. */
export const shopPrimaryDomainQuery = `
query PodBridgeShopPrimaryDomain {
  shop { primaryDomain { url } }
}`

/** For the schema test: every document above, by name. */
export const productDocuments: Readonly<Record<string, string>> = {
  productSetMutation,
  productByIdentifierQuery,
  productVariantsPageQuery,
  customIdDefinitionQuery,
  customIdDefinitionCreateMutation,
  publicationsQuery,
  publishablePublishMutation,
  productArchiveMutation,
  tagsAddMutation,
  tagsRemoveMutation,
  shopPrimaryDomainQuery
}
