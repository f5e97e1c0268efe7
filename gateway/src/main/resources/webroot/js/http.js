// The API client: fetch against the same origin with the bearer token and JSON bodies.

import { problemMessages } from './problems.js';
import { here, session, toLogin } from './session.js';
import { bilingual, toast } from './toast.js';

/**
 * An error answer of the API: `problem` is the RFC 9457 body ({type, title, status, detail,
 * instance, errors}). `messages` says it in Korean and English: one {ko, en, where} per entry of
 * `errors` (where: the pointer, header or parameter), else one for the detail.
 */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.messages = problemMessages(status, problem);
  }
}

/**
 * fetch against the same origin with the bearer token and JSON bodies. Resolves to the parsed JSON
 * (or null); rejects with ApiError. Problem details are shown in a toast unless `quiet`; a 401
 * always goes back to the login page.
 */
export async function api(
  path,
  { method = 'GET', body, headers = {}, quiet = false, auth = true } = {},
) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  const token = session.token;
  if (auth && token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    const err = new ApiError(0, { title: 'Network error', detail: 'Cannot reach the server' });
    err.messages = [
      { ko: '서버에 연결할 수 없습니다', en: 'Cannot reach the server', where: null },
    ];
    if (!quiet) toast(bilingual(err.messages));
    throw err;
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = res.ok ? text : { title: res.statusText, detail: text.slice(0, 300) };
    }
  }
  if (res.status === 401 && auth) {
    toLogin(
      '세션이 만료되었습니다. 다시 로그인해 주세요 Session expired, please log in again',
      here(),
    );
    throw new ApiError(401, data);
  }
  if (!res.ok) {
    const problem =
      data && typeof data === 'object'
        ? data
        : { title: res.statusText, detail: `HTTP ${res.status}` };
    const err = new ApiError(res.status, problem);
    if (!quiet) toast(bilingual(err.messages));
    throw err;
  }
  return data;
}
