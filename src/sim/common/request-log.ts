// Every request a simulator received, for tests and demos to read back.
export interface LoggedRequest {
  readonly seq: number
  readonly at: string
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  fault?: string
  status?: number
}

export class RequestLog {
  readonly #entries: LoggedRequest[] = []
  #seq = 0

  record (entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged: LoggedRequest = { seq: ++this.#seq, ...entry }
    this.#entries.push(logged)
    return logged
  }

  all (filter: { method?: string, path?: string } = {}): LoggedRequest[] {
    return this.#entries.filter((entry) =>
      (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
      (filter.path === undefined || entry.path.includes(filter.path)))
  }

  clear (): void {
    this.#entries.length = 0
  }
}
