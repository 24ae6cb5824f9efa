// zod schemas of what the Admin API answers to ./documents.ts, field for field (STYLE.md rule 4:
// every Shopify response is validated). Only ./client.ts sees them.
import { z } from 'zod'
import { userErrorSchema } from '../user-errors.ts'

const gid = z.string().regex(/^gid:\/\/shopify\/\w+\/\S+$/, { error: 'must be a Shopify GID' })
const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() })

export const variantWire = z.object({
  id: gid,
  sku: z.string().nullable(),
  price: z.string(),
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() }))
})

const variantsPage = z.object({ pageInfo, nodes: z.array(variantWire) })

export const productWire = z.object({
  id: gid,
  handle: z.string(),
  status: z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED', 'UNLISTED']),
  title: z.string(),
  onlineStoreUrl: z.string().nullable(),
  variants: variantsPage,
  media: z.object({
    nodes: z.array(z.object({
      id: gid,
      // Only MediaImage spreads these; video or 3D media answer the id alone.
      image: z.object({ url: z.string() }).nullable().optional(),
      originalSource: z.object({ url: z.string().nullable() }).nullable().optional()
    }))
  })
})

export type ProductWire = z.infer<typeof productWire>

export const productSetResponse = z.object({
  productSet: z.object({ product: productWire.nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})

export const productByIdentifierResponse = z.object({ productByIdentifier: productWire.nullable() })

export const productVariantsPageResponse = z.object({ product: z.object({ variants: variantsPage }).nullable() })

const definitionWire = z.object({ id: gid, namespace: z.string(), key: z.string(), type: z.object({ name: z.string() }) })

export const customIdDefinitionResponse = z.object({ metafieldDefinitions: z.object({ nodes: z.array(definitionWire) }) })

export const customIdDefinitionCreateResponse = z.object({
  metafieldDefinitionCreate: z.object({ createdDefinition: definitionWire.nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})

export const publicationsResponse = z.object({
  publications: z.object({ pageInfo, nodes: z.array(z.object({ id: gid, catalog: z.object({ title: z.string() }).nullable() })) })
})

export const publishablePublishResponse = z.object({
  publishablePublish: z.object({ userErrors: z.array(userErrorSchema) }).nullable()
})

export const productArchiveResponse = z.object({
  productUpdate: z.object({ product: z.object({ id: gid, status: z.string() }).nullable(), userErrors: z.array(userErrorSchema) }).nullable()
})

const tagsPayload = z.object({ node: z.object({ id: gid }).nullable(), userErrors: z.array(userErrorSchema) }).nullable()
export const tagsAddResponse = z.object({ tagsAdd: tagsPayload })
export const tagsRemoveResponse = z.object({ tagsRemove: tagsPayload })

export const shopPrimaryDomainResponse = z.object({ shop: z.object({ primaryDomain: z.object({ url: z.string() }) }) })
