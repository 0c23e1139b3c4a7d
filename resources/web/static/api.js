// REST calls to the Pullwatch server (docs/architecture.md §3), same origin, session cookie included.
// No token is ever put in a URL.

export class ApiError extends Error {
  constructor(status, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

let unauthorizedHandler = () => {};

/** Called whenever the server answers 401 (session expired, logged out elsewhere). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'the server cannot be reached');
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: the status says enough
  }
  if (response.status === 401 && path !== '/login') unauthorizedHandler();
  if (!response.ok) {
    const message = (json && json.error) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, response.headers.get('Retry-After'));
  }
  return json ? json.data : null;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const del = (path) => api('DELETE', path);
