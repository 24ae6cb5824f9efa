// The store side of the product push (issue 18): StoreProducts over the Admin GraphQL API,
// one productSet per product keyed by a custom id, then publishing, archiving and look-ups.
// productSet's list fields replace what is there (entries left out are deleted,
// https://shopify.dev/docs/api/admin-graphql/latest/mutations/productSet), so a list is sent
// only when the caller gave it; see port.ts.
import type { z } from 'zod'
import { AppError } from '../../lib/errors.ts'
import { toGid } from '../admin-client.ts'
import type { GraphqlTransport } from '../graphql-client.ts'
import { throwOnUserErrors } from '../user-errors.ts'
import * as docs from './documents.ts'
import type { StoreProduct, StoreProductInput, StoreProducts, StoreVariantInput } from './port.ts'
import * as wire from './wire.ts'

export interface StoreProductsOptions {
  /** The custom id's metafield (default pod_bridge.source_product): namespace 3-255 and key 2-64 characters. */
  readonly identifier?: { readonly namespace: string, readonly key: string }
  /** Variants read per page (default 100; the rest is paged: a product may have up to 2048). */
  readonly variantPageSize?: number
}

export const defaultIdentifier = { namespace: 'pod_bridge', key: 'source_product' } as const

// The media read with a product: POD products carry a handful of mockups.
const mediaPageSize = 50

export function createStoreProducts (transport: GraphqlTransport, options: StoreProductsOptions = {}): StoreProducts {
  const identifier = options.identifier ?? defaultIdentifier
  const variantPageSize = options.variantPageSize ?? 100
  let onlineStore: string | undefined

  async function complete (product: wire.ProductWire): Promise<StoreProduct> {
    const variants = [...product.variants.nodes]
    let page = product.variants.pageInfo
    while (page.hasNextPage) {
      const data: z.infer<typeof wire.productVariantsPageResponse> = await transport.execute(docs.productVariantsPageQuery, { id: product.id, first: variantPageSize, after: page.endCursor }, wire.productVariantsPageResponse)
      if (!data.product) throw new AppError('upstream_invalid_response', `Shopify lost product ${product.id} while its variants were read`)
      variants.push(...data.product.variants.nodes)
      page = data.product.variants.pageInfo
    }
    return {
      id: product.id,
      handle: product.handle,
      status: product.status,
      title: product.title,
      onlineStoreUrl: product.onlineStoreUrl,
      variants: variants.map((v) => ({ id: v.id, sku: v.sku, price: v.price, optionValues: v.selectedOptions.map((o) => ({ optionName: o.name, name: o.value })) })),
      // Shopify's CDN copy once processed; the original source before that.
      images: product.media.nodes.map((m) => ({ id: m.id, url: m.image?.url ?? m.originalSource?.url ?? '' }))
    }
  }

  async function onlineStorePublication (): Promise<string> {
    if (onlineStore) return onlineStore
    let after: string | null = null
    for (;;) {
      const data: z.infer<typeof wire.publicationsResponse> = await transport.execute(docs.publicationsQuery, { first: 50, after }, wire.publicationsResponse)
      const found = data.publications.nodes.find((p) => p.catalog?.title === 'Online Store')
      if (found) {
        onlineStore = found.id
        return found.id
      }
      if (!data.publications.pageInfo.hasNextPage) throw new AppError('config', 'the store has no Online Store sales channel to publish products to')
      after = data.publications.pageInfo.endCursor
    }
  }

  return {
    async ensureIdentifier () {
      const found = await transport.execute(docs.customIdDefinitionQuery, identifier, wire.customIdDefinitionResponse)
      const existing = found.metafieldDefinitions.nodes[0]
      if (existing) return checkIdType(existing)
      const data = await transport.execute(docs.customIdDefinitionCreateMutation, {
        definition: {
          name: 'pod-bridge source product',
          description: 'The supplier product this product was pushed from (pod-bridge); productSet finds it again by this custom id.',
          namespace: identifier.namespace,
          key: identifier.key,
          type: 'id',
          ownerType: 'PRODUCT'
        }
      }, wire.customIdDefinitionCreateResponse)
      const payload = data.metafieldDefinitionCreate
      if (!payload) throw new AppError('upstream_invalid_response', 'Shopify answered metafieldDefinitionCreate with no payload')
      // TAKEN: made meanwhile (another replica's migrate, say): it is there, which is all we need.
      if (payload.userErrors.length > 0 && payload.userErrors.every((e) => e.code === 'TAKEN')) return
      throwOnUserErrors('metafieldDefinitionCreate', payload.userErrors)
    },

    async set (input) {
      const data = await transport.execute(docs.productSetMutation, {
        identifier: { customId: customIdOf(identifier, input.customId) },
        input: productSetInput(input),
        variants: variantPageSize,
        media: mediaPageSize
      }, wire.productSetResponse)
      const payload = data.productSet
      if (!payload) throw new AppError('upstream_invalid_response', 'Shopify answered productSet with no payload')
      throwOnUserErrors('productSet', payload.userErrors)
      if (!payload.product) throw new AppError('upstream_invalid_response', 'Shopify answered productSet with neither a product nor userErrors')
      return await complete(payload.product)
    },

    async find (customId) {
      const data = await transport.execute(docs.productByIdentifierQuery, {
        identifier: { customId: customIdOf(identifier, customId) },
        variants: variantPageSize,
        media: mediaPageSize
      }, wire.productByIdentifierResponse)
      return data.productByIdentifier ? await complete(data.productByIdentifier) : undefined
    },

    async publishToOnlineStore (productId) {
      const publicationId = await onlineStorePublication()
      const data = await transport.execute(docs.publishablePublishMutation, { id: toGid('Product', productId), input: [{ publicationId }] }, wire.publishablePublishResponse)
      if (!data.publishablePublish) throw new AppError('upstream_invalid_response', 'Shopify answered publishablePublish with no payload')
      throwOnUserErrors('publishablePublish', data.publishablePublish.userErrors)
    },

    async archive (productId) {
      const data = await transport.execute(docs.productArchiveMutation, { product: { id: toGid('Product', productId), status: 'ARCHIVED' } }, wire.productArchiveResponse)
      if (!data.productUpdate) throw new AppError('upstream_invalid_response', 'Shopify answered productUpdate with no payload')
      throwOnUserErrors('productUpdate', data.productUpdate.userErrors)
    },

    async retag (productId, change) {
      const id = toGid('Product', productId)
      if (change.remove.length > 0) {
        const data = await transport.execute(docs.tagsRemoveMutation, { id, tags: [...change.remove] }, wire.tagsRemoveResponse)
        if (!data.tagsRemove) throw new AppError('upstream_invalid_response', 'Shopify answered tagsRemove with no payload')
        throwOnUserErrors('tagsRemove', data.tagsRemove.userErrors)
      }
      if (change.add.length > 0) {
        const data = await transport.execute(docs.tagsAddMutation, { id, tags: [...change.add] }, wire.tagsAddResponse)
        if (!data.tagsAdd) throw new AppError('upstream_invalid_response', 'Shopify answered tagsAdd with no payload')
        throwOnUserErrors('tagsAdd', data.tagsAdd.userErrors)
      }
    },

    async storefrontOrigin () {
      const data = await transport.execute(docs.shopPrimaryDomainQuery, {}, wire.shopPrimaryDomainResponse)
      return data.shop.primaryDomain.url.replace(/\/+$/, '')
    }
  }
}

function checkIdType (definition: { namespace: string, key: string, type: { name: string } }): void {
  if (definition.type.name !== 'id') {
    throw new AppError('config', `the store's product metafield ${definition.namespace}.${definition.key} has type ${definition.type.name}, not id: productSet cannot use it as a custom id; choose another key`)
  }
}

function customIdOf (identifier: { namespace: string, key: string }, value: string): Record<string, string> {
  if (value.trim() === '') throw new AppError('bad_request', 'a product needs a non-empty customId')
  return { namespace: identifier.namespace, key: identifier.key, value }
}

/** StoreProductInput → ProductSetInput: scalar fields only when given, lists only when given (never empty by default). */
export function productSetInput (input: StoreProductInput): Record<string, unknown> {
  const set: Record<string, unknown> = {}
  if (input.title !== undefined) set.title = input.title
  if (input.descriptionHtml !== undefined) set.descriptionHtml = input.descriptionHtml
  if (input.vendor !== undefined) set.vendor = input.vendor
  if (input.productType !== undefined) set.productType = input.productType
  if (input.tags !== undefined) set.tags = [...input.tags]
  if (input.status !== undefined) set.status = input.status
  if (input.options !== undefined) set.productOptions = input.options.map((o) => ({ name: o.name, values: o.values.map((name) => ({ name })) }))
  if (input.images !== undefined) {
    set.files = input.images.map((image) => image.id
      ? { id: image.id, ...(image.alt !== undefined ? { alt: image.alt } : {}) }
      : { originalSource: image.url, contentType: 'IMAGE', ...(image.alt !== undefined ? { alt: image.alt } : {}) })
  }
  if (input.variants !== undefined) set.variants = input.variants.map((v) => variantSetInput(v, input))
  return set
}

function variantSetInput (variant: StoreVariantInput, product: StoreProductInput): Record<string, unknown> {
  const file = variant.imageUrl === undefined ? undefined : variantFile(variant.imageUrl, product)
  return {
    ...(variant.id !== undefined ? { id: variant.id } : {}),
    optionValues: variant.optionValues.map((o) => ({ optionName: o.optionName, name: o.name })),
    price: variant.price,
    ...(variant.compareAtPrice !== undefined ? { compareAtPrice: variant.compareAtPrice } : {}),
    ...(variant.sku !== undefined ? { sku: variant.sku } : {}),
    // Print on demand: the supplier makes each item, so Shopify tracks no stock; weight for shipping rates.
    inventoryItem: {
      tracked: false,
      ...(variant.weightGrams !== undefined ? { measurement: { weight: { unit: 'GRAMS', value: variant.weightGrams } } } : {})
    },
    ...(file ? { file } : {})
  }
}

/** "Any file specified here must also be specified in the files input for the product" (ProductVariantSetInput.file). */
function variantFile (url: string, product: StoreProductInput): Record<string, string> {
  const image = product.images?.find((i) => i.url === url)
  if (!image) throw new AppError('bad_request', `variant image ${url} is not among the product's images (send the images with the variants)`)
  return image.id ? { id: image.id } : { originalSource: image.url }
}
