import type { StreamPart } from '../../../shared/chat';

/**
 * A tool call as a stream part, its arguments parsed from the JSON the model wrote. Arguments that
 * do not parse (a model cut off mid-call) are passed on as `{ _raw: … }`, so the tool loop can
 * tell the model its call was malformed instead of running a tool with nothing.
 */
export function toolCallPart(id: string, name: string, json: string | Record<string, unknown> | undefined): Extract<StreamPart, { type: 'tool-call' }> {
  let args: Record<string, unknown> = {};
  if (typeof json === 'object' && json !== null) args = json;
  else if (typeof json === 'string' && json.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(json);
      args = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { _raw: json };
    } catch {
      args = { _raw: json };
    }
  }
  return { type: 'tool-call', id: id || `call_${Math.random().toString(36).slice(2, 10)}`, name, args };
}
