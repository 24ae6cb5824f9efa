// Root fields of the simulated Admin API for the product push (src/shopify/products/documents.ts):
// productSet, productByIdentifier, product, productUpdate, tagsAdd/tagsRemove, publications, publishablePublish, the
// metafield definitions the custom id needs, and shop. The store rules are in ../store/store-products.ts.
import { connection, idKey, type ConnectionArgs } from './connections.ts'
import { mapConnection } from './graphql-views.ts'
import { findProductBy, onlineStoreUrl, productSet, publishProduct, updateProduct, type ProductIdentifierArgs, type ProductSetInputArgs, type ProductUpdateArgs } from '../store/store-products.ts'
import { gid, numericId, type SimMedia, type SimMetafieldDefinition, type SimProduct, type SimProductVariant, type SimPublication, type StoreState } from '../store/store-model.ts'

type View = Record<string, unknown>

// Interfaces (Media, Publishable, Catalog) need the concrete type named for graphql-js to resolve them.
function mediaView (media: SimMedia): View {
  const url = `https://cdn.shopify.com/s/files/1/sim/products/${media.id}.jpg`
  return {
    __typename: 'MediaImage',
    id: gid('MediaImage', media.id),
    alt: media.alt,
    mediaContentType: 'IMAGE',
    // Shopify processes uploads asynchronously (MediaImage.image: "Returns null until status is READY");
    // the simulator has them ready at once (not modelled).
    status: 'READY',
    fileStatus: 'READY',
    image: { id: gid('ImageSource', media.id), url, altText: media.alt },
    originalSource: { url: media.originalSource, fileSize: null },
    preview: { status: 'READY', image: { url } }
  }
}

function variantView (state: StoreState, product: SimProduct, variant: SimProductVariant): View {
  const title = variant.optionValues.map((v) => v.name).join(' / ') || 'Default Title'
  const media = product.media.filter((m) => m.id === variant.mediaId)
  return {
    id: gid('ProductVariant', variant.id),
    legacyResourceId: variant.id,
    title,
    displayName: `${product.title} - ${title}`,
    sku: variant.sku,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    selectedOptions: variant.optionValues.map((v) => ({ name: v.optionName, value: v.name })),
    inventoryItem: { id: gid('InventoryItem', variant.inventoryItemId), tracked: variant.tracked, sku: variant.sku, measurement: { id: gid('InventoryItemMeasurement', variant.inventoryItemId), weight: variant.weight } },
    media: (args: ConnectionArgs) => mapConnection(connection(media, args, (m) => idKey(m.id)), mediaView),
    product: () => productView(state, product)
  }
}

export function productView (state: StoreState, product: SimProduct): View {
  const positioned = <T>(items: readonly T[]): Array<{ item: T, key: string }> => items.map((item, i) => ({ item, key: String(i).padStart(6, '0') }))
  return {
    __typename: 'Product',
    id: gid('Product', product.id),
    legacyResourceId: product.id,
    handle: product.handle,
    title: product.title,
    status: product.status,
    vendor: product.vendor,
    productType: product.productType,
    descriptionHtml: product.descriptionHtml,
    tags: product.tags,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    onlineStoreUrl: onlineStoreUrl(state, product),
    seo: product.seo,
    options: (args: { first?: number | null }) => product.options.slice(0, args.first ?? undefined).map((o, i) => ({
      id: gid('ProductOption', o.id), name: o.name, position: i + 1, values: o.values.map((v) => v.name),
      optionValues: o.values.map((v) => ({ id: gid('ProductOptionValue', v.id), name: v.name, hasVariants: product.variants.some((pv) => pv.optionValues.some((x) => x.optionName === o.name && x.name === v.name)) }))
    })),
    variantsCount: { count: product.variants.length, precision: 'EXACT' },
    variants: (args: ConnectionArgs) => mapConnection(connection(positioned(product.variants), args, (p) => p.key), (p) => variantView(state, product, p.item)),
    media: (args: ConnectionArgs) => mapConnection(connection(positioned(product.media), args, (p) => p.key), (p) => mediaView(p.item)),
    metafield: (args: { namespace?: string | null, key: string }) => {
      const id = product.customId
      if (!id || id.key !== args.key || (args.namespace ?? '$app') !== id.namespace) return null
      return { id: gid('Metafield', `${product.id}1`), namespace: id.namespace, key: id.key, value: id.value, type: 'id' }
    }
  }
}

function definitionView (definition: SimMetafieldDefinition): View {
  return {
    id: gid('MetafieldDefinition', definition.id),
    name: definition.name,
    namespace: definition.namespace,
    key: definition.key,
    ownerType: definition.ownerType,
    type: { name: definition.type, category: definition.type === 'id' ? 'TEXT' : 'OTHER' }
  }
}

function publicationView (publication: SimPublication): View {
  return {
    id: gid('Publication', publication.id),
    name: publication.title,
    autoPublish: false,
    supportsFuturePublishing: publication.title === 'Online Store',
    catalog: { __typename: 'AppCatalog', id: gid('AppCatalog', publication.id), title: publication.title, status: 'ACTIVE' }
  }
}

/**
 * tagsAdd / tagsRemove on a product: only the named tags move, the others stay ("tagsAdd will not interfere
 * with other preexisting tags", https://community.shopify.com/t/updatecustomer-mutation-is-overwriting-tags-instead-of-adding-tags/34674);
 * tags are case sensitive (https://help.shopify.com/en/manual/shopify-flow/reference/actions/remove-product-tags).
 * Other taggable resources (orders, customers) are not modelled here; an id naming no product is a userError
 * (the docs say "resource-not-found error" without its shape: stricter, the mutation does nothing).
 */
function retag (state: StoreState, id: string, tags: readonly string[], how: 'add' | 'remove'): Record<string, unknown> {
  const product = id.startsWith('gid://shopify/Product/') ? state.products.get(numericId(id)) : undefined
  if (!product) return { node: null, userErrors: [{ field: ['id'], message: 'Resource not found' }] }
  product.tags = how === 'add' ? [...product.tags, ...tags.filter((tag, i) => !product.tags.includes(tag) && tags.indexOf(tag) === i)] : product.tags.filter((tag) => !tags.includes(tag))
  product.updatedAt = state.tick()
  return { node: productView(state, product), userErrors: [] }
}

interface DefinitionArgs { name: string, namespace?: string | null, key: string, type: string, ownerType: string }

export function productRootValue (state: StoreState): Record<string, unknown> {
  return {
    shop: () => ({
      id: gid('Shop', '1'),
      name: state.shopDomain.split('.')[0],
      myshopifyDomain: state.shopDomain,
      // A new shop's primary domain is its myshopify.com domain until the merchant connects one.
      primaryDomain: { id: gid('Domain', '1'), host: state.shopDomain, url: `https://${state.shopDomain}`, sslEnabled: true },
      // "The three letter code for the currency that the shop sells in" (Shop.currencyCode, CurrencyCode!,
      // https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop#field-Shop.fields.currencyCode): set when
      // the shop is made, USD unless the store's control says otherwise (startShopifySimulator's currencyCode, setCurrency).
      currencyCode: state.shop.currencyCode
    }),
    product: ({ id }: { id: string }) => {
      const product = state.products.get(numericId(id))
      return product ? productView(state, product) : null
    },
    productByIdentifier: ({ identifier }: { identifier: ProductIdentifierArgs }) => {
      const product = findProductBy(state, identifier)
      return product ? productView(state, product) : null
    },
    productSet: (args: { identifier?: ProductIdentifierArgs | null, input: ProductSetInputArgs, synchronous?: boolean | null }) => {
      // The asynchronous mode (a ProductSetOperation to poll) is not modelled: every call runs synchronously.
      const result = productSet(state, args.identifier, args.input)
      if ('userErrors' in result) return { product: null, productSetOperation: null, userErrors: result.userErrors }
      return { product: productView(state, result.product), productSetOperation: null, userErrors: [] }
    },
    productUpdate: (args: { product?: ProductUpdateArgs | null }) => {
      const result = updateProduct(state, args.product ?? {})
      if ('userErrors' in result) return { product: null, userErrors: result.userErrors }
      return { product: productView(state, result.product), userErrors: [] }
    },
    tagsAdd: (args: { id: string, tags: string[] }) => retag(state, args.id, args.tags, 'add'),
    tagsRemove: (args: { id: string, tags: string[] }) => retag(state, args.id, args.tags, 'remove'),
    publications: (args: ConnectionArgs) => mapConnection(connection(state.publications, args, (p) => idKey(p.id)), publicationView),
    publishablePublish: (args: { id: string, input: Array<{ publicationId?: string | null }> }) => {
      const result = publishProduct(state, args.id, args.input.map((i) => i.publicationId ?? ''))
      if ('userErrors' in result) return { publishable: null, userErrors: result.userErrors }
      return { publishable: productView(state, result.product), userErrors: [] }
    },
    metafieldDefinitions: (args: ConnectionArgs & { ownerType: string, namespace?: string | null, key?: string | null }) => {
      const selected = state.metafieldDefinitions.filter((d) => d.ownerType === args.ownerType && (args.namespace == null || d.namespace === args.namespace) && (args.key == null || d.key === args.key))
      return mapConnection(connection(selected, args, (d) => idKey(d.id)), definitionView)
    },
    metafieldDefinitionCreate: ({ definition }: { definition: DefinitionArgs }) => {
      const namespace = definition.namespace ?? '$app'
      // A namespace and key are unique per owner type: a second definition is refused with code TAKEN
      // (schema 2026-10, MetafieldDefinitionCreateUserErrorCode TAKEN "The input value is already taken").
      // Shopify documents no message; the field and wording follow the one public example found (another
      // project's Shopify emulator test: field ["definition","key"], "Key is in use for Product metafields on
      // the '<namespace>' namespace.") [wording unverified against Shopify itself; clients must read the code].
      if (state.metafieldDefinitions.some((d) => d.ownerType === definition.ownerType && d.namespace === namespace && d.key === definition.key)) {
        const owner = definition.ownerType.charAt(0) + definition.ownerType.slice(1).toLowerCase()
        return { createdDefinition: null, userErrors: [{ field: ['definition', 'key'], message: `Key is in use for ${owner} metafields on the '${namespace}' namespace.`, code: 'TAKEN' }] }
      }
      const created: SimMetafieldDefinition = { id: state.nextId(), name: definition.name, ownerType: definition.ownerType, namespace, key: definition.key, type: definition.type }
      state.metafieldDefinitions.push(created)
      return { createdDefinition: definitionView(created), userErrors: [] }
    }
  }
}
