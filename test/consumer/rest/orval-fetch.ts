// The fetch an app team hands to an orval-generated client (orval's `override.mutator`): the API's origin and the
// bearer token, set once at start-up; orval passes the path (with the query it serialized) and the request.
let origin = '';
let token = '';
let last = '';

export function configureOrval(o: { baseUrl: string; token: string }): void {
  origin = o.baseUrl;
  token = o.token;
}

/** The URL of the last request (what orval serialized). */
export const lastOrvalUrl = () => last;

/** orval's fetch mutator: answers `{ data, status, headers }`, the shape its generated response types have. */
export async function orvalFetch<T>(url: string, init: RequestInit): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  last = `${origin}${url}`;
  const res = await fetch(last, { ...init, headers });
  const text = await res.text();
  return { data: text ? JSON.parse(text) : {}, status: res.status, headers: res.headers } as T;
}
