// A document's cost by Shopify's documented rules
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, "Cost calculation"; shopify.md §3.6):
// scalars and enums 0, objects 1, a connection 2 plus `first` (or `last`) times its node's cost, and a
// mutation 10 (what its payload selects is added). The REQUESTED cost prices every connection at its page
// size: the bucket must hold it before the call. The ACTUAL cost prices what the answer holds (a
// connection at the items returned); the bucket is refunded the difference after the call. Shopify refuses
// a single query above 1000 points whatever the bucket holds [unverified; not enforced here]. Fields on
// interfaces and unions are all summed: an upper bound of "the maximum of possible selections".
import { getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, parse, type DocumentNode, type FieldNode, type GraphQLCompositeType, type GraphQLField, type SelectionSetNode, type ValueNode } from 'graphql'
import { adminSchema } from './admin-schema.ts'

/** The documented cost of a mutation field itself. */
const mutationCost = 10

interface Walk {
  variables: Record<string, unknown>
  fragments: Map<string, SelectionSetNode>
}

function argValue (node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined
  if (node.kind === Kind.INT) return Number(node.value)
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value]
    return typeof value === 'number' ? value : undefined
  }
  return undefined
}

function pageSize (node: FieldNode, variables: Record<string, unknown>): number | undefined {
  return argValue(node.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last')?.value, variables)
}

/** The fields selected on a composite type, fragments (inline or spread) flattened, each with its definition. */
function fieldsOf (type: GraphQLCompositeType, selectionSet: SelectionSetNode | undefined, walk: Walk): Array<{ node: FieldNode, def: GraphQLField<unknown, unknown> }> {
  const found: Array<{ node: FieldNode, def: GraphQLField<unknown, unknown> }> = []
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      const def = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined
      if (def) found.push({ node: selection, def })
      continue
    }
    const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : walk.fragments.get(selection.name.value)
    const conditionName = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition?.name.value : undefined
    const condition = conditionName ? adminSchema().getType(conditionName) : type
    if (condition && isCompositeType(condition)) found.push(...fieldsOf(condition, inner, walk))
  }
  return found
}

/** Requested cost of a selection on `type`; pageInfo is one object per connection, left out of the per-item sum. */
function requestedOf (type: GraphQLCompositeType, selectionSet: SelectionSetNode | undefined, walk: Walk, root = false): number {
  let sum = 0
  for (const { node, def } of fieldsOf(type, selectionSet, walk)) {
    if (node.name.value === 'pageInfo') continue
    const named = getNamedType(def.type)
    const isMutation = root && type === adminSchema().getMutationType()
    if (!isCompositeType(named)) { sum += isMutation ? mutationCost : 0; continue }
    const children = requestedOf(named, node.selectionSet, walk)
    const page = pageSize(node, walk.variables)
    if (named.name.endsWith('Connection')) sum += 2 + (page ?? 1) * children
    else sum += (page ?? 1) * ((isMutation ? mutationCost : 1) + children)
  }
  return sum
}

/** Actual cost of a selection on `type` given the answer's value there: every object returned costs 1, a connection 2. */
function actualOf (type: GraphQLCompositeType, selectionSet: SelectionSetNode | undefined, value: unknown, walk: Walk, root = false): number {
  if (!value || typeof value !== 'object') return 0
  const record = value as Record<string, unknown>
  let sum = 0
  for (const { node, def } of fieldsOf(type, selectionSet, walk)) {
    const key = node.alias?.value ?? node.name.value
    if (node.name.value === 'pageInfo' || !(key in record)) continue
    const named = getNamedType(def.type)
    const isMutation = root && type === adminSchema().getMutationType()
    if (!isCompositeType(named)) { sum += isMutation ? mutationCost : 0; continue }
    const returned = record[key]
    if (named.name.endsWith('Connection')) { sum += 2 + actualOf(named, node.selectionSet, returned, walk); continue }
    if (isMutation) { sum += mutationCost + actualOf(named, node.selectionSet, returned, walk); continue }
    // A null object still cost its lookup: 1 (the stricter reading); a list costs 1 per item returned.
    const items = Array.isArray(returned) ? returned : [returned]
    for (const item of items) sum += 1 + actualOf(named, node.selectionSet, item, walk)
  }
  return sum
}

function prepare (document: string | DocumentNode, variables: Record<string, unknown>): { walk: Walk, operation: { type: GraphQLCompositeType, selectionSet: SelectionSetNode } } {
  const ast = typeof document === 'string' ? parse(document) : document
  const fragments = new Map<string, SelectionSetNode>()
  for (const def of ast.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def.selectionSet)
  const op = ast.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error('the document has no operation')
  const schema = adminSchema()
  const type = op.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType()
  if (!type) throw new Error(`the schema has no ${op.operation} type`)
  return { walk: { variables, fragments }, operation: { type, selectionSet: op.selectionSet } }
}

/** What the bucket must hold before the call: every connection priced at its `first`/`last` (1 when neither). */
export function estimateCost (document: string | DocumentNode, variables: Record<string, unknown>): number {
  const { walk, operation } = prepare(document, variables)
  return requestedOf(operation.type, operation.selectionSet, walk, true)
}

/** What the call cost once answered: the objects and connections `data` holds. */
export function actualCost (document: string | DocumentNode, variables: Record<string, unknown>, data: unknown): number {
  const { walk, operation } = prepare(document, variables)
  return actualOf(operation.type, operation.selectionSet, data, walk, true)
}
