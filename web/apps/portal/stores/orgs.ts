// The organisation tree (GET /api/v1/orgs), fetched once and shared by the
// user, role and delegation pages; OrgView reloads it after each change.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Id } from '../api/auth'
import { systemApi, type Org } from '../api/system'

/** Every node of a tree, depth first. */
export function flattenOrgs(nodes: readonly Org[], out: Org[] = []): Org[] {
  for (const n of nodes) {
    out.push(n)
    if (n.children?.length) flattenOrgs(n.children, out)
  }
  return out
}

/** Builds a tree from a flat list (parentId links) when the server sends one. */
export function buildOrgTree(list: readonly Org[]): Org[] {
  if (list.some((o) => o.children?.length)) return [...list]
  const byId = new Map(list.map((o) => [o.id, { ...o, children: [] as Org[] }]))
  const roots: Org[] = []
  for (const o of byId.values()) {
    const parent = o.parentId ? byId.get(o.parentId) : undefined
    if (parent) parent.children!.push(o)
    else roots.push(o)
  }
  const sort = (nodes: Org[]) => {
    nodes.sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
    nodes.forEach((n) => (n.children?.length ? sort(n.children) : delete n.children))
  }
  sort(roots)
  return roots
}

export const useOrgStore = defineStore('orgs', () => {
  const tree = ref<Org[]>([])
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  const byId = computed(() => new Map(flattenOrgs(tree.value).map((o) => [o.id, o])))

  function load(force = false): Promise<void> {
    if (loaded.value && !force) return Promise.resolve()
    loading ??= systemApi
      .orgs()
      .then((list) => {
        tree.value = buildOrgTree(list)
        loaded.value = true
      })
      .finally(() => {
        loading = null
      })
    return loading
  }

  function name(id: Id): string {
    return byId.value.get(id)?.name ?? String(id)
  }

  return { tree, loaded, byId, load, name }
})
