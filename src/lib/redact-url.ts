/** A URL fit to print: query values that may be secrets (token=...) are masked. */
export function redactUrl (url: string): string {
  try {
    const parsed = new URL(url)
    for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, '***')
    return parsed.toString().replaceAll('%2A', '*')
  } catch {
    return url.replace(/\?.*$/, '?***')
  }
}
