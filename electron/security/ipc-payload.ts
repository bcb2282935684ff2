/** The shape checks main applies to what the renderer sends, before the router's own validation. */
export function isCallRequest(method: unknown, params: unknown): method is string {
  return typeof method === 'string' && /^[a-z]+\.[A-Za-z]+$/.test(method) && method.length <= 80
    && (params === undefined || params === null || (typeof params === 'object' && !Array.isArray(params)));
}

export function isTopic(topic: unknown): topic is string {
  return typeof topic === 'string' && (topic === '*' || /^[A-Z][A-Z_]{1,63}$/.test(topic));
}
