/** The engine's HTTP API as the simulator uses it: in the same process, or over the network. */
export interface CommandApi {
  request(method: 'GET' | 'POST', path: string, body?: object): Promise<{ status: number; body: unknown }>;
}

/** A response the simulator did not expect: a simulated lender never sends an invalid command. */
export class UnexpectedResponseError extends Error {
  constructor(method: string, path: string, status: number, body: unknown) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body)}`);
  }
}

export async function expectOk<T>(api: CommandApi, method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  const response = await api.request(method, path, body);
  if (response.status >= 300) throw new UnexpectedResponseError(method, path, response.status, response.body);
  return response.body as T;
}
